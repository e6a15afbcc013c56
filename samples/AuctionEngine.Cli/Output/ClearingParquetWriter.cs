using System.Globalization;
using System.Text;
using AuctionEngine.Cli.Clear;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using Parquet;
using Parquet.Schema;

namespace AuctionEngine.Cli.Output;

/// <summary>
/// Writes one row per order as Parquet (<c>--output FILE.parquet</c>), the same rows as <see cref="ClearingCsvWriter"/>:
/// <c>id</c> (string), <c>line</c>, <c>side</c> (string), <c>price</c> (null for a market order), <c>quantity</c>, <c>filled</c> (64-bit integers),
/// <c>quote</c> (decimal(38, 0)), <c>reason</c> (string, null for an accepted order) and <c>trader</c> (string) when the
/// input had traders, in row groups of <see cref="RowGroupOrders"/> orders.
/// </summary>
internal static class ClearingParquetWriter
{
    /// <summary>Orders read per row group (fewer rows when some are left out by <see cref="FillsOutput"/>).</summary>
    internal const int RowGroupOrders = 1 << 20;

    /// <summary>Writes the rows.</summary>
    /// <exception cref="OrderFileException">A quote exceeds what decimal(38, 0) holds in .NET (about 7.9 × 10^28).</exception>
    /// <exception cref="IOException">The output cannot be written.</exception>
    public static void Write(Stream output, ClearOutcome outcome, FillsOutput which, string outputPath, IPhase progress)
    {
        var columns = new Columns(outcome.Book.HasTrader);
        ParquetWriter writer = ParquetWriter.CreateAsync(columns.Schema, output).GetAwaiter().GetResult();
        try
        {
            WriteGroups(writer, columns, outcome, which, outputPath, progress);
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void WriteGroups(ParquetWriter writer, Columns columns, ClearOutcome outcome, FillsOutput which, string outputPath, IPhase progress)
    {
        var ids = new IdBatch();
        int count = outcome.Book.Count;
        var rows = new List<int>();
        Order[] orders = outcome.Book.Orders;
        Fill[] fills = outcome.Fills;
        for (int first = 0; first < count; first += RowGroupOrders)
        {
            int end = Math.Min(count, first + RowGroupOrders);
            rows.Clear();
            for (int i = first; i < end; i++)
            {
                if (fills[i].IsRejected || outcome.ShowsFill(i, which))
                {
                    rows.Add(i);
                }
            }

            if (rows.Count > 0)
            {
                outcome.Book.Ids.Read(first, end - first, ids);
                using ParquetRowGroupWriter group = writer.CreateRowGroup();
                Column(group, columns.Id, [.. rows.Select(i => Encoding.UTF8.GetString(ids[i]))]);
                Column(group, columns.Line, [.. rows.Select(outcome.Book.Lines.LineOf)]);
                Column(group, columns.Side, [.. rows.Select(i => orders[i].Side == Side.Buy ? "buy" : "sell")]);
                Column(group, columns.Price, [.. rows.Select(i => orders[i].IsMarket ? (long?)null : orders[i].LimitPrice)]);
                Column(group, columns.Quantity, [.. rows.Select(i => orders[i].Quantity)]);
                Column(group, columns.Filled, [.. rows.Select(i => fills[i].FilledQuantity)]);
                Column(group, columns.Quote, [.. rows.Select(i => Quote(fills[i].QuoteAmount, outputPath))]);
                Column(group, columns.Reason, [.. rows.Select(i => fills[i].IsRejected ? OutputNames.Reason(fills[i].Rejection).ToString() : null)]);
                if (columns.Trader is not null)
                {
                    Column(group, columns.Trader, [.. rows.Select(i => orders[i].Trader.ToString())]);
                }
            }

            progress.Advance(end - first);
        }
    }

    private static void Column(ParquetRowGroupWriter group, DataField field, string?[] values) =>
        group.WriteAsync(field, values).GetAwaiter().GetResult();

    private static void Column<T>(ParquetRowGroupWriter group, DataField field, T[] values)
        where T : struct =>
        group.WriteAsync<T>(field, values.AsMemory()).GetAwaiter().GetResult();

    private static void Column<T>(ParquetRowGroupWriter group, DataField field, T?[] values)
        where T : struct =>
        group.WriteAsync<T>(field, values.AsMemory()).GetAwaiter().GetResult();

    /// <summary>The table's columns, in order; <see cref="Trader"/> only when the input had traders.</summary>
    private sealed class Columns
    {
        public Columns(bool withTrader)
        {
            Trader = withTrader ? new DataField<string>("trader") : null;
            List<Field> fields = [Id, Line, Side, Price, Quantity, Filled, Quote, Reason];
            if (Trader is not null)
            {
                fields.Add(Trader);
            }

            Schema = new ParquetSchema(fields);
        }

        public ParquetSchema Schema { get; }

        public DataField Id { get; } = new DataField<string>("id");

        public DataField Line { get; } = new DataField<long>("line");

        public DataField Side { get; } = new DataField<string>("side");

        public DataField Price { get; } = new DataField<long?>("price");

        public DataField Quantity { get; } = new DataField<long>("quantity");

        public DataField Filled { get; } = new DataField<long>("filled");

        public DataField Quote { get; } = new DecimalDataField("quote", 38, 0);

        public DataField Reason { get; } = new DataField<string>("reason", nullable: true);

        public DataField? Trader { get; }
    }

    private static decimal Quote(UInt128 amount, string outputPath)
    {
        if (amount > (UInt128)decimal.MaxValue)
        {
            throw OrderFileException.AtLine(outputPath, 0, $"a quote of {amount.ToString(CultureInfo.InvariantCulture)} exceeds what its Parquet column holds; write JSON or CSV instead.");
        }

        return (decimal)amount;
    }
}
