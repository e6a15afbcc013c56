using System.Diagnostics;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Sealing;
using AuctionEngine.Threshold;

namespace AuctionEngine.Cli.Output;

/// <summary>A submission, reveal or ciphertext the batch refused, and what it was meant to show when it was refused on purpose.</summary>
internal readonly record struct Refusal(SealRejectReason Reason, string? What);

/// <summary>Writes the sealed demo as it runs: one line per phase with its time, then a summary.</summary>
/// <remarks>Timings stand in a column of their own, so two runs with the same seed differ only there.</remarks>
internal sealed class SealedDemoReport(TextWriter output)
{
    private const string DetailIndent = "                        ";

    private readonly List<(string Name, TimeSpan Elapsed)> _times = [];
    private readonly SortedDictionary<SealRejectReason, int> _refusals = [];

    public void Header(int seed, int orderCount, int traderCount, ulong batchId, long block, ClearingOptions options, int threshold, int keyperCount)
    {
        output.WriteLine($"Sealed batch demo: seed {seed}, {Prose.Count(orderCount, "order")} from {Prose.Count(traderCount, "trader")}, batch {batchId} in block {block}");
        output.WriteLine($"  rule {PriceRuleNames.NameOf(options.Rule)}, reference price {options.ReferencePrice:N0} ticks (the mid the orders are drawn around)");
        output.WriteLine();
        output.WriteLine("  Prices are in ticks and quantities in lots, the market's units: a lot is a fixed amount of the base token,");
        output.WriteLine("  a tick a fixed step of price per lot (here both are one atom, so q lots at p ticks cost q × p quote atoms).");
        output.WriteLine($"  A keyper holds one share of the batch's decryption key: any {threshold} of the {keyperCount} keypers together can open");
        output.WriteLine("  the encrypted orders once the batch has closed, and fewer learn nothing. A commitment is the hash of an order");
        output.WriteLine("  that its trader reveals after the close; a commitment never revealed forfeits its bond.");
        output.WriteLine();
        output.WriteLine($"  {"phase",-10}{"time",10}  what happened");
    }

    /// <summary>Reports a phase that began at the <see cref="Stopwatch"/> timestamp <paramref name="start"/> and has just ended.</summary>
    public void Phase(string name, long start, string text, IReadOnlyList<Refusal>? refused = null)
    {
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        _times.Add((name, elapsed));
        output.WriteLine($"  {name,-10}{elapsed.TotalMilliseconds,7:F1} ms  {text}");
        foreach (IGrouping<Refusal, Refusal> group in (refused ?? []).GroupBy(r => r))
        {
            _refusals[group.Key.Reason] = _refusals.GetValueOrDefault(group.Key.Reason) + group.Count();
            string count = group.Count() > 1 ? $" ×{group.Count():N0}" : "";
            string what = group.Key.What is null ? "" : $": {group.Key.What}";
            output.WriteLine($"{DetailIndent}refused {group.Key.Reason}{count}{what}");
        }
    }

    public void Summary(SealedBatchResult result, int sealedCount, int revealed, int decrypted, string badKeypers, string ignoredShares, BatchKeyOpening opening)
    {
        ClearingResult clearing = result.Clearing;
        UInt128 buyLots = UInt128.Zero, sellLots = UInt128.Zero;
        foreach (SealedOrderOutcome outcome in result.Orders)
        {
            if (outcome.Fill.IsRejected || outcome.Refusal != SealRejectReason.None)
            {
                continue;
            }

            if (outcome.Order.Side == Side.Buy)
            {
                buyLots += (ulong)outcome.Order.Quantity;
            }
            else
            {
                sellLots += (ulong)outcome.Order.Quantity;
            }
        }

        output.WriteLine();
        output.WriteLine("Summary");
        if (clearing.Cleared)
        {
            output.WriteLine($"  clearing price   {clearing.Price:N0} ticks");
            output.WriteLine($"  volume           {Prose.Count(clearing.Volume, "lot")}; surplus {DemoSummaryWriter.SurplusText(clearing)}");
            output.WriteLine($"  fill ratio       buys {DemoSummaryWriter.Percent((double)clearing.Volume, (double)buyLots)} of {Prose.Count(buyLots, "lot")}, sells {DemoSummaryWriter.Percent((double)clearing.Volume, (double)sellLots)} of {Prose.Count(sellLots, "lot")}");
            output.WriteLine($"  orders traded    {clearing.FilledCount:N0} of {result.Orders.Count:N0} ({DemoSummaryWriter.Percent(clearing.FilledCount, result.Orders.Count)}); {clearing.RationedCount:N0} shared the marginal price level");
        }
        else
        {
            output.WriteLine($"  no trade         {DemoSummaryWriter.NoTradeText(clearing.Status)}; best bid / ask {DemoSummaryWriter.PriceOrDash(clearing.BestBid)} / {DemoSummaryWriter.PriceOrDash(clearing.BestAsk)}");
        }

        output.WriteLine($"  opened           {result.Orders.Count:N0} of {Prose.Count(sealedCount, "sealed order")}: {revealed:N0} revealed, {decrypted:N0} decrypted");
        if (clearing.RejectedCount > 0)
        {
            output.WriteLine($"  engine rejected  {Prose.Count(clearing.RejectedCount, "opened order")}");
        }

        string byReason = string.Join(", ", _refusals.Select(pair => $"{pair.Key} {pair.Value:N0}"));
        output.WriteLine($"  refused          {_refusals.Values.Sum():N0}{(byReason.Length > 0 ? $": {byReason}" : "")}");
        int forfeited = result.Forfeited.Count();
        output.WriteLine($"  forfeited        {Prose.Count(forfeited, "commitment")} never revealed, {(forfeited == 1 ? "its bond" : "their bonds")} lost");
        output.WriteLine($"  keypers          {ValidShares(opening)}");
        output.WriteLine($"  bad keypers      {(badKeypers.Length > 0 ? badKeypers : "none")}");
        int ignored = opening.IgnoredShares.Count;
        output.WriteLine($"  ignored shares   {(ignored > 0 ? $"{(ignored == 1 ? "a share" : $"{ignored:N0} shares")} claiming to be from {ignoredShares}; nobody blamed" : "none")}");

        TimeSpan total = _times.Aggregate(TimeSpan.Zero, (sum, phase) => sum + phase.Elapsed);
        output.WriteLine($"  time             {total.TotalMilliseconds:F1} ms in all; sealing and opening used up to {Prose.Count(Environment.ProcessorCount, "thread")}");
        foreach ((string name, TimeSpan elapsed) in _times)
        {
            output.WriteLine($"    {name,-12}{elapsed.TotalMilliseconds,9:F1} ms  {DemoSummaryWriter.Percent(elapsed.Ticks, total.Ticks),6}");
        }
    }

    /// <summary>Which keypers' shares counted, against how many the key needs: "keypers 1, 3 and 4 sent valid shares; 3 are needed".</summary>
    internal static string ValidShares(BatchKeyOpening opening)
    {
        IReadOnlyList<int> valid = opening.ValidKeypers;
        string who = valid.Count switch
        {
            0 => "no keyper sent a valid share",
            1 => $"keyper {valid[0]} sent a valid share",
            _ => $"keypers {Prose.List(valid)} sent valid shares",
        };
        return $"{who}; {opening.Threshold} {(opening.Threshold == 1 ? "is" : "are")} needed";
    }
}
