using System.Text.Unicode;
using AuctionEngine.Cli.Clear;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Csv;
using AuctionEngine.Cli.Identity;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using global::Parquet;
using global::Parquet.Schema;

namespace AuctionEngine.Cli.Parquet;

/// <summary>
/// Reads an order file in Parquet: the columns <c>id</c>, <c>side</c>, <c>price</c>, <c>quantity</c> and optionally
/// <c>trader</c> (any order and case, other columns ignored). <c>id</c>, <c>side</c> and <c>trader</c> are strings (or
/// binary UTF-8); <c>price</c> is a 32- or 64-bit integer (null for a market order) or a string as in the CSV format;
/// <c>quantity</c> is a 32- or 64-bit integer or a string. Values are checked as the CSV reader checks them, with the
/// row in place of the line.
/// </summary>
internal static class ParquetOrderReader
{
    // A slice of a row group small enough not to be worth a thread of its own.
    private const int MinRowsPerSlice = 16_384;

    // Parquet.Net pools its decompression streams and by default keeps every one freed ("indistinguishable from a memory
    // leak", its documentation says); bound what it keeps.
    private static readonly ParquetOptions ReaderOptions = new()
    {
        MaximumSmallPoolFreeBytes = 16 << 20,
        MaximumLargePoolFreeBytes = 64 << 20,
    };

    /// <summary>Reads every order in the Parquet file at <paramref name="path"/>, in row order.</summary>
    /// <param name="path">The file.</param>
    /// <param name="threads">How many threads may decode columns and check rows at once.</param>
    /// <param name="hash">Hashes each id to its engine id and priority key.</param>
    /// <param name="progress">Advanced by the bytes read, counted row group by row group.</param>
    /// <returns>The book.</returns>
    /// <exception cref="OrderFileException">The file is not a Parquet order file.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <remarks>
    /// A row group at a time: its columns are decoded one after the other (Parquet.Net 6.1.0 decoding on two threads at
    /// once, even through separate readers, now and then read a non-null value as null), then its rows are checked and
    /// turned into orders in parallel slices, and the first bad row in the file is the one reported, whatever the
    /// thread count.
    /// </remarks>
    public static OrderBook Read(string path, int threads, OrderIdHash hash, IPhase progress)
    {
        ParquetReader reader = Open(path);
        try
        {
            Columns columns = FindColumns(path, reader.Schema);
            long total = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                total += reader.RowGroups[g].RowCount;
            }

            if (total > ClearingEngine.MaxCapacity)
            {
                throw OrderFileException.AtLine(path, 0, $"holds more than {ClearingEngine.MaxCapacity:N0} orders, the most one batch can clear.");
            }

            long length = new FileInfo(path).Length;
            var orders = GC.AllocateUninitializedArray<Order>((int)total);
            var ids = new ParquetOrderIds();
            var lines = new LineMap();
            lines.Add(0, 1);
            int count = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                // The text columns' values point into what the row group reader holds: keep it open until its rows are read.
                using (ParquetRowGroupReader group = reader.OpenRowGroupReader(g))
                {
                    int rows = checked((int)group.RowCount);
                    foreach (IColumn column in columns.All)
                    {
                        column.Load(group, reader.Schema, rows);
                    }

                    ReadGroup(path, columns, rows, count, threads, hash, orders, ids);
                    count += rows;
                    progress.Advance(total == 0 ? 0 : length * rows / total);
                }

                // Parquet.Net decodes each row group into large arrays of its own, which die with the group; left to
                // itself, the collector lets them pile up group after group (2.0 GB instead of 1.5 GB at 10,000,000
                // orders). One full collection per group, a few milliseconds, keeps memory at about one group's worth.
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
            }

            return new OrderBook(orders, count, columns.Trader is not null, ids, lines);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static ParquetReader Open(string path)
    {
        try
        {
            return ParquetReader.CreateAsync(path, ReaderOptions).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException and not FileNotFoundException and not DirectoryNotFoundException
            || e is InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw OrderFileException.AtLine(path, 0, $"is not a Parquet file ({e.Message.TrimEnd('.')}).");
        }
    }

    /// <summary>Turns a decoded row group into orders <paramref name="first"/> onwards, in slices on several threads.</summary>
    private static void ReadGroup(string path, Columns columns, int rows, int first, int threads, OrderIdHash hash, Order[] orders, ParquetOrderIds ids)
    {
        int slices = Math.Clamp(Math.Min(threads, rows / MinRowsPerSlice), 1, threads);
        var errors = new OrderFileException?[slices];
        void ReadSlice(int slice)
        {
            int start = (int)((long)rows * slice / slices);
            int end = (int)((long)rows * (slice + 1) / slices);
            try
            {
                for (int r = start; r < end; r++)
                {
                    orders[first + r] = ReadRow(path, columns, r, first + r + 1L, hash);
                }
            }
            catch (OrderFileException e)
            {
                errors[slice] = e; // The slice's first bad row; the slices before it decide whether it is the file's.
            }
        }

        if (slices == 1)
        {
            ReadSlice(0);
        }
        else
        {
            Parallel.For(0, slices, new ParallelOptions { MaxDegreeOfParallelism = slices }, ReadSlice);
        }

        if (Array.Find(errors, e => e is not null) is OrderFileException firstError)
        {
            throw firstError;
        }

        for (int r = 0; r < rows; r++)
        {
            columns.Id.Get(r, out ReadOnlySpan<byte> id);
            ids.Add(id);
        }
    }

    private static Order ReadRow(string path, Columns columns, int r, long row, OrderIdHash hash)
    {
        columns.Id.Get(r, out ReadOnlySpan<byte> idText);
        if (idText.IsEmpty || idText.Length > CsvLimits.MaxIdBytes)
        {
            throw OrderFileException.AtRow(path, row, "id", idText.IsEmpty ? "the id is empty." : $"the id is {idText.Length} bytes long; at most {CsvLimits.MaxIdBytes} are allowed.");
        }

        if (!Utf8.IsValid(idText))
        {
            throw OrderFileException.AtRow(path, row, "id", "invalid UTF-8.");
        }

        columns.Side.Get(r, out ReadOnlySpan<byte> sideText);
        Side side = System.Text.Ascii.EqualsIgnoreCase(sideText, "buy"u8) ? Side.Buy
            : System.Text.Ascii.EqualsIgnoreCase(sideText, "sell"u8) ? Side.Sell
            : throw OrderFileException.AtRow(path, row, "side", $"'{CsvLine.Show(sideText)}' is neither buy nor sell.");

        Value price = columns.Price.Get(r);
        bool isMarket = price.IsMarket;
        long limit = isMarket ? 0 : price.Integer(path, row, "price", "an integer number of ticks or 'market'");
        Value quantity = columns.Quantity.Get(r);
        if (quantity.IsMissing)
        {
            throw OrderFileException.AtRow(path, row, "quantity", "is missing.");
        }

        long lots = quantity.Integer(path, row, "quantity", "an integer number of lots");
        Address trader = Address.Zero;
        if (columns.Trader is not null)
        {
            columns.Trader.Get(r, out ReadOnlySpan<byte> traderText);
            if (!CsvRowParser.TryParseTrader(traderText, out trader))
            {
                throw OrderFileException.AtRow(path, row, "trader", $"'{CsvLine.Show(traderText)}' is not an address: expected 0x and 40 hex digits.");
            }
        }

        OrderIdentity identity = OrderIdentity.FromHash(hash(idText, 0));
        return isMarket
            ? Order.Market(identity.Id, trader, side, lots, identity.PriorityKey)
            : Order.Limit(identity.Id, trader, side, limit, lots, identity.PriorityKey);
    }

    /// <summary>One of the order's columns, decoded a row group at a time into buffers it reuses.</summary>
    private interface IColumn
    {
        /// <summary>Decodes the column of <paramref name="group"/>, a row group of a reader whose schema is <paramref name="schema"/>.</summary>
        void Load(ParquetRowGroupReader group, ParquetSchema schema, int rows);
    }

    /// <summary>
    /// A string column read as raw UTF-8, row group by row group into buffers it reuses. Parquet.Net would decode the
    /// strings leniently, turning invalid UTF-8 into U+FFFD: the very bug the raw bytes are read to catch. So the column
    /// is read through a field of our own, typed as bytes.
    /// </summary>
    private sealed class TextColumn : IColumn
    {
        private readonly DataField _bytes;
        private readonly bool _nullable;
        private ReadOnlyMemory<byte>[] _values = [];
        private int[] _definitions = [];

        // For a nullable column, each row's place among the values (which hold the non-null ones only), or −1.
        private int[] _valueIndex = [];

        public TextColumn(DataField field)
        {
            _bytes = new DataField<byte[]>(field.Name, nullable: true);
            _ = new ParquetSchema(_bytes); // Parquet.Net reads only through fields attached to a schema.
            _nullable = field.IsNullable;
        }

        public void Load(ParquetRowGroupReader group, ParquetSchema schema, int rows)
        {
            if (_values.Length < rows)
            {
                _values = new ReadOnlyMemory<byte>[rows];
                _definitions = new int[rows];
                _valueIndex = _nullable ? new int[rows] : [];
            }

            group.ReadRawAsync<ReadOnlyMemory<byte>>(_bytes, _values.AsMemory(0, rows), _definitions.AsMemory(0, rows), null).AsTask().GetAwaiter().GetResult();
            if (_nullable)
            {
                int next = 0;
                for (int r = 0; r < rows; r++)
                {
                    _valueIndex[r] = _definitions[r] > 0 ? next++ : -1;
                }
            }
        }

        /// <summary>Row <paramref name="row"/>'s value; false (and empty) when it is null.</summary>
        public bool Get(int row, out ReadOnlySpan<byte> value)
        {
            int index = _nullable ? _valueIndex[row] : row;
            value = index < 0 ? default : _values[index].Span;
            return index >= 0;
        }
    }

    /// <summary>A price or quantity column: integers (nullable or not) or text as in the CSV format.</summary>
    private sealed class ValueColumn : IColumn
    {
        private readonly string _name;
        private readonly Type _type;
        private readonly TextColumn? _text;
        private long?[] _numbers = [];
        private int?[] _smallNumbers = [];

        public ValueColumn(DataField field)
        {
            _name = field.Name;
            _type = field.ClrType;
            _text = _type == typeof(long) || _type == typeof(int) ? null : new TextColumn(field);
        }

        public void Load(ParquetRowGroupReader group, ParquetSchema schema, int rows)
        {
            if (_text is not null)
            {
                _text.Load(group, schema, rows);
                return;
            }

            DataField field = Array.Find(schema.DataFields, f => f.Name == _name)!;
            if (_type == typeof(long))
            {
                _numbers = _numbers.Length >= rows ? _numbers : new long?[rows];
                group.ReadAsync<long>(field, _numbers.AsMemory(0, rows), null).AsTask().GetAwaiter().GetResult();
            }
            else
            {
                _smallNumbers = _smallNumbers.Length >= rows ? _smallNumbers : new int?[rows];
                group.ReadAsync<int>(field, _smallNumbers.AsMemory(0, rows), null).AsTask().GetAwaiter().GetResult();
            }
        }

        public Value Get(int row)
        {
            if (_text is not null)
            {
                return _text.Get(row, out ReadOnlySpan<byte> text) ? new Value(null, text.ToArray()) : new Value(null, null);
            }

            return new Value(_type == typeof(long) ? _numbers[row] : _smallNumbers[row], null);
        }
    }

    private static Columns FindColumns(string path, ParquetSchema schema)
    {
        DataField? Find(string name, bool required, bool numeric)
        {
            DataField? field = Array.Find(schema.DataFields, f => f.Path.ToString().Equals(name, StringComparison.OrdinalIgnoreCase));
            if (field is null)
            {
                return required ? throw OrderFileException.AtLine(path, 0, $"has no column '{name}'; the columns are {string.Join(", ", CsvLayout.Names)} (trader is optional).") : null;
            }

            bool text = field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>)
                || field.ClrType == typeof(byte[]) || field.ClrType == typeof(ReadOnlyMemory<byte>);
            bool integer = field.ClrType == typeof(long) || field.ClrType == typeof(int);
            if (field.IsArray || !(text || (numeric && integer)))
            {
                throw OrderFileException.AtLine(path, 0, $"column '{name}' holds {(field.IsArray ? "lists" : field.ClrType.Name)}; expected {(numeric ? "32- or 64-bit integers or strings" : "strings")}.");
            }

            return field;
        }

        DataField? trader = Find("trader", false, false);
        return new Columns(
            new TextColumn(Find("id", true, false)!),
            new TextColumn(Find("side", true, false)!),
            new ValueColumn(Find("price", true, true)!),
            new ValueColumn(Find("quantity", true, true)!),
            trader is null ? null : new TextColumn(trader));
    }

    private sealed record Columns(TextColumn Id, TextColumn Side, ValueColumn Price, ValueColumn Quantity, TextColumn? Trader)
    {
        /// <summary>Every column read.</summary>
        public IReadOnlyList<IColumn> All { get; } = Trader is null ? [Id, Side, Price, Quantity] : [Id, Side, Price, Quantity, Trader];
    }

    /// <summary>One price or quantity: an integer, text as in the CSV format, or neither (null: a market order's price).</summary>
    private readonly record struct Value(long? Number, byte[]? Text)
    {
        public bool IsMarket => Number is null && (Text is null || System.Text.Ascii.EqualsIgnoreCase(Text.AsSpan().Trim(" \t"u8), "market"u8));

        public bool IsMissing => Number is null && Text is null;

        public long Integer(string path, long row, string column, string expected)
        {
            if (Number is long number)
            {
                return number;
            }

            ReadOnlySpan<byte> text = Text;
            if (CsvRowParser.TryParseInteger(CsvLineTrim(text), out long value, out bool overflow))
            {
                return value;
            }

            throw OrderFileException.AtRow(path, row, column, overflow
                ? $"{CsvLine.Show(text)} is outside the 64-bit integer range."
                : $"'{CsvLine.Show(text)}' is not {expected}.");
        }

        private static ReadOnlySpan<byte> CsvLineTrim(ReadOnlySpan<byte> text) => text.Trim(" \t"u8);
    }
}
