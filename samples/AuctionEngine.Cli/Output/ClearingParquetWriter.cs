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
        var id = new DataField<string>("id");
        var line = new DataField<long>("line");
        var side = new DataField<string>("side");
        var price = new DataField<long?>("price");
        var quantity = new DataField<long>("quantity");
        var filled = new DataField<long>("filled");
        var quote = new DecimalDataField("quote", 38, 0);
        var reason = new DataField<string>("reason", nullable: true);
        var trader = new DataField<string>("trader");
        List<Field> fields = [id, line, side, price, quantity, filled, quote, reason];
        if (outcome.Book.HasTrader)
        {
            fields.Add(trader);
        }

        ParquetWriter writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), output).GetAwaiter().GetResult();
        try
        {
            WriteGroups(writer, outcome, which, outputPath, progress, fields);
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void WriteGroups(ParquetWriter writer, ClearOutcome outcome, FillsOutput which, string outputPath, IPhase progress, List<Field> fields)
    {
        var (id, line, side, price, quantity) = ((DataField)fields[0], (DataField)fields[1], (DataField)fields[2], (DataField)fields[3], (DataField)fields[4]);
        var (filled, quote, reason) = ((DataField)fields[5], (DataField)fields[6], (DataField)fields[7]);
        DataField? trader = fields.Count > 8 ? (DataField)fields[8] : null;
        var ids = new IdBatch();
        int count = outcome.Book.Count;
        var rows = new List<int>();
        for (int first = 0; first < count; first += RowGroupOrders)
        {
            int end = Math.Min(count, first + RowGroupOrders);
            rows.Clear();
            for (int i = first; i < end; i++)
            {
                if (outcome.Fills[i].IsRejected || outcome.ShowsFill(i, which))
                {
                    rows.Add(i);
                }
            }

            if (rows.Count > 0)
            {
                outcome.Book.Ids.Read(first, end - first, ids);
                using ParquetRowGroupWriter group = writer.CreateRowGroup();
                Column(group, id, rows.Select(i => Encoding.UTF8.GetString(ids[i])).ToArray());
                Column(group, line, rows.Select(i => outcome.Book.Lines.LineOf(i)).ToArray());
                Column(group, side, rows.Select(i => outcome.Book.Orders[i].Side == Side.Buy ? "buy" : "sell").ToArray());
                group.WriteAsync<long>(price, rows.Select(i => outcome.Book.Orders[i].IsMarket ? (long?)null : outcome.Book.Orders[i].LimitPrice).ToArray().AsMemory()).GetAwaiter().GetResult();
                Column(group, quantity, rows.Select(i => outcome.Book.Orders[i].Quantity).ToArray());
                Column(group, filled, rows.Select(i => outcome.Fills[i].FilledQuantity).ToArray());
                Column(group, quote, rows.Select(i => Quote(outcome.Fills[i].QuoteAmount, outputPath)).ToArray());
                group.WriteAsync(reason, rows.Select(i => outcome.Fills[i].IsRejected ? OutputNames.Reason(outcome.Fills[i].Rejection).ToString() : null).ToArray()).GetAwaiter().GetResult();
                if (trader is not null)
                {
                    Column(group, trader, rows.Select(i => outcome.Book.Orders[i].Trader.ToString()).ToArray());
                }
            }

            progress.Advance(end - first);
        }
    }

    private static void Column(ParquetRowGroupWriter group, DataField field, string[] values) =>
        group.WriteAsync(field, values).GetAwaiter().GetResult();

    private static void Column<T>(ParquetRowGroupWriter group, DataField field, T[] values)
        where T : struct =>
        group.WriteAsync<T>(field, values.AsMemory()).GetAwaiter().GetResult();

    private static decimal Quote(UInt128 amount, string outputPath)
    {
        if (amount > (UInt128)decimal.MaxValue)
        {
            throw OrderFileException.AtLine(outputPath, 0, $"a quote of {amount.ToString(CultureInfo.InvariantCulture)} exceeds what its Parquet column holds; write JSON or CSV instead.");
        }

        return (decimal)amount;
    }
}
