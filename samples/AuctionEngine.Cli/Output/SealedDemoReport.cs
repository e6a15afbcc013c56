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

    public void Header(int seed, int orderCount, int traderCount, ulong batchId, long block, ClearingOptions options)
    {
        output.WriteLine($"Sealed batch demo: seed {seed}, {orderCount:N0} orders from {traderCount:N0} traders, batch {batchId} in block {block}");
        output.WriteLine($"  rule {PriceRuleNames.NameOf(options.Rule)}, reference price {options.ReferencePrice:N0} (the mid the orders are drawn around)");
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
            output.WriteLine($"  volume           {clearing.Volume:N0} lots; surplus {DemoSummaryWriter.SurplusText(clearing)}");
            output.WriteLine($"  fill ratio       buys {DemoSummaryWriter.Percent((double)clearing.Volume, (double)buyLots)} of {buyLots:N0} lots, sells {DemoSummaryWriter.Percent((double)clearing.Volume, (double)sellLots)} of {sellLots:N0} lots");
            output.WriteLine($"  orders traded    {clearing.FilledCount:N0} of {result.Orders.Count:N0} ({DemoSummaryWriter.Percent(clearing.FilledCount, result.Orders.Count)}); {clearing.RationedCount:N0} shared the marginal price level");
        }
        else
        {
            output.WriteLine($"  no trade         {DemoSummaryWriter.NoTradeText(clearing.Status)}; best bid / ask {DemoSummaryWriter.PriceOrDash(clearing.BestBid)} / {DemoSummaryWriter.PriceOrDash(clearing.BestAsk)}");
        }

        output.WriteLine($"  opened           {result.Orders.Count:N0} of {sealedCount:N0} sealed orders: {revealed:N0} revealed, {decrypted:N0} decrypted");
        if (clearing.RejectedCount > 0)
        {
            output.WriteLine($"  engine rejected  {clearing.RejectedCount:N0} opened orders");
        }

        string byReason = string.Join(", ", _refusals.Select(pair => $"{pair.Key} {pair.Value:N0}"));
        output.WriteLine($"  refused          {_refusals.Values.Sum():N0}{(byReason.Length > 0 ? $": {byReason}" : "")}");
        int forfeited = result.Forfeited.Count();
        output.WriteLine($"  forfeited        {forfeited:N0} {(forfeited == 1 ? "commitment" : "commitments")} never revealed, {(forfeited == 1 ? "its bond" : "their bonds")} lost");
        output.WriteLine($"  bad keypers      {(badKeypers.Length > 0 ? badKeypers : "none")}; valid shares from keypers {string.Join(", ", opening.ValidKeypers)}, {opening.Threshold} needed");
        output.WriteLine($"  ignored shares   {(ignoredShares.Length > 0 ? $"claiming {ignoredShares}; nobody blamed" : "none")}");

        TimeSpan total = _times.Aggregate(TimeSpan.Zero, (sum, phase) => sum + phase.Elapsed);
        output.WriteLine($"  time             {total.TotalMilliseconds:F1} ms in all; sealing and opening used up to {Environment.ProcessorCount} threads");
        foreach ((string name, TimeSpan elapsed) in _times)
        {
            output.WriteLine($"    {name,-12}{elapsed.TotalMilliseconds,9:F1} ms  {DemoSummaryWriter.Percent(elapsed.Ticks, total.Ticks),6}");
        }
    }
}
