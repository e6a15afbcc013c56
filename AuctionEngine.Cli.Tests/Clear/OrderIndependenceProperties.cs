using System.Globalization;
using System.Text;
using System.Text.Json;
using AuctionEngine.Cli.CommandLine;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests.Clear;

/// <summary>
/// What a book clears to depends on its orders, never on their order in the file, the threads that read and clear it,
/// or where the file is cut between threads: any permutation of the rows gives the same outcome for every id, and one
/// file gives the same bytes on every thread count and cut.
/// </summary>
public sealed class OrderIndependenceProperties : IDisposable
{
    private readonly ClearHarness _harness = new();

    /// <summary>
    /// Rows drawn from few ids (so some repeat), few prices (so levels are shared and rationed), some market orders,
    /// and quantities from −2 (rejected) up; then a seed for the permutation, a thread count and a cut size.
    /// </summary>
    private static readonly Arbitrary<(string[] Rows, int Seed, int Threads, int RangeBytes)> Books = Arb.From(
        from count in Gen.Choose(0, 120)
        from rows in Gen.ArrayOf(Row, count)
        from seed in Gen.Choose(int.MinValue, int.MaxValue)
        from threads in Gen.Choose(1, 6)
        from rangeBytes in Gen.Elements(1, 5, 17, 64, 301, 1 << 20)
        select (rows, seed, threads, rangeBytes));

    private static Gen<string> Row =>
        from id in Gen.Choose(0, 90)
        from buy in Gen.Elements(true, false)
        from market in Gen.Frequency((1, Gen.Constant(true)), (9, Gen.Constant(false)))
        from price in Gen.Choose(95, 105)
        from quantity in Gen.Choose(-2, 40)
        from crlf in Gen.Elements(false, false, true)
        from blankAfter in Gen.Frequency((1, Gen.Constant(true)), (12, Gen.Constant(false)))
        select string.Create(CultureInfo.InvariantCulture, $"id-{id},{(buy ? "buy" : "sell")},{(market ? "market" : price.ToString(CultureInfo.InvariantCulture))},{quantity}{(crlf ? "\r\n" : "\n")}{(blankAfter ? "\n" : "")}");

    public void Dispose() => _harness.Dispose();

    [FsCheck.NUnit.Property(MaxTest = 80)]
    public Property AnyRowOrderAndThreadCountClearTheSame() => Prop.ForAll(Books, book =>
    {
        string[] shuffled = [.. book.Rows];
        new Random(book.Seed).Shuffle(shuffled);
        string original = _harness.File("id,side,price,quantity\n" + string.Concat(book.Rows));
        string permuted = _harness.File("id,side,price,quantity\n" + string.Concat(shuffled));

        ClearRun reference = ClearHarness.Run(ClearHarness.Request(original));
        ClearRun other = ClearHarness.Run(ClearHarness.Request(permuted, book.Threads), rangeBytes: book.RangeBytes);
        ClearRun otherOnOneThread = ClearHarness.Run(ClearHarness.Request(permuted));
        return reference.ExitCode == ExitCodes.Success && other.ExitCode == ExitCodes.Success &&
            Outcome(reference) == Outcome(other) &&
            other.Text == otherOnOneThread.Text &&
            LinesPointAtTheirRows(other, "id,side,price,quantity\n" + string.Concat(shuffled));
    });

    /// <summary>The outcome with rows in no particular order: the summary, then each fill and rejection, sorted.</summary>
    private static string Outcome(ClearRun run)
    {
        JsonElement json = run.Json;
        var summary = new StringBuilder();
        foreach (JsonProperty property in json.EnumerateObject().Where(p => p.Name is not ("fills" or "rejected")))
        {
            summary.Append(property.Name).Append('=').Append(property.Value.GetRawText()).Append(';');
        }

        IEnumerable<string> fills = json.GetProperty("fills").EnumerateArray().Select(fill => fill.GetRawText()).Order(StringComparer.Ordinal);
        IEnumerable<string> rejected = json.GetProperty("rejected").EnumerateArray()
            .Select(r => r.GetProperty("id").GetString() + ":" + r.GetProperty("reason").GetString()).Order(StringComparer.Ordinal);
        return summary + "|" + string.Join(",", fills) + "|" + string.Join(",", rejected);
    }

    /// <summary>Each rejection's line holds an order with the rejection's id.</summary>
    private static bool LinesPointAtTheirRows(ClearRun run, string file)
    {
        string[] lines = file.Split('\n');
        return run.Json.GetProperty("rejected").EnumerateArray().All(r =>
            lines[r.GetProperty("line").GetInt64() - 1].StartsWith(r.GetProperty("id").GetString() + ",", StringComparison.Ordinal));
    }
}
