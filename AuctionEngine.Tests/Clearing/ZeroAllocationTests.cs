using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// Once warmed up, an engine clears batch after batch without allocating on the managed heap, whatever the batch:
/// every buffer is sized at construction (the over-capacity buffers on first use) and reused.
/// </summary>
[TestFixture]
public sealed class ZeroAllocationTests
{
    private const int Capacity = 10_000;

    private static readonly Market Market = Build.UnitMarket();

    private static readonly Order[] NarrowBand = RandomBatches.NarrowBand(Capacity, seed: 1);

    private static readonly Order[] WidePrices = RandomBatches.WidePrices(Capacity, seed: 2);

    /// <summary>Uniform over 2 × 10^9 ticks from 10^12, one order in ten moved far below or far above: spread bins and outlier bins on both sides.</summary>
    private static readonly Order[] SpreadWithOutliers =
        [.. RandomBatches.NarrowBand(Capacity, seed: 7, lowestPrice: 1_000_000_000_000, width: 2_000_000_000).Select((o, i) => o.IsMarket ? o : (i % 20) switch
        {
            0 => o.WithLimit(1 + (i % 1_000)),
            1 => o.WithLimit(long.MaxValue - i),
            _ => o,
        })];

    /// <summary>
    /// Buys at 10^7 × k (1 lot each) and 5 lots at 10^12, 3 lots sold at 50: cleared at 100, the marginal buy lies far
    /// above the price's window, in a segment of its own.
    /// </summary>
    private static readonly Order[] FarMarginal =
        [.. Enumerable.Range(1, 2_000).Select(k => Build.Buy((ulong)k, 10_000_000L * k, 1)), Build.Buy(3_001, 1_000_000_000_000, 5), Build.Sell(3_002, 50, 3)];

    /// <summary>Nearly all buys (one order in seven keeps its random side) across a 3-tick band: the buy side is rationed.</summary>
    private static readonly Order[] Rationed =
        [.. RandomBatches.NarrowBand(Capacity, seed: 3, width: 3).Select((o, i) => i % 7 == 0 ? o : Build.Raw(o.Id, Side.Buy, o.Type, o.LimitPrice, o.Quantity, o.PriorityKey))];

    private static readonly Order[] RepeatedIds = RandomBatches.WithRepeatedIds(RandomBatches.NarrowBand(Capacity, seed: 4), copies: 500);

    private static readonly Order[] CollidingIds = RandomBatches.WithCollidingIds(RandomBatches.NarrowBand(Capacity, seed: 5));

    private static readonly Order[] MarketOrdersOnly =
        [.. Enumerable.Range(1, Capacity).Select(i => i % 2 == 0 ? Build.MarketBuy((ulong)i, i % 50 + 1) : Build.MarketSell((ulong)i, i % 30 + 1))];

    private static readonly Order[] OverCapacity = RandomBatches.NarrowBand(Capacity + 2_000, seed: 6);

    private static IEnumerable<TestCaseData> Batches()
    {
        yield return new TestCaseData(NarrowBand, new ClearingOptions()).SetArgDisplayNames("narrow band (histogram)");
        yield return new TestCaseData(WidePrices, new ClearingOptions(PriceRule.Euronext, long.MaxValue / 2)).SetArgDisplayNames("wide adversarial prices (spread bins)");
        yield return new TestCaseData(SpreadWithOutliers, new ClearingOptions(PriceRule.Xetra, 1_001_000_000_000)).SetArgDisplayNames("spread book with outliers on both sides");
        yield return new TestCaseData(Rationed, new ClearingOptions(PriceRule.Xetra, 1_001)).SetArgDisplayNames("rationed level");
        yield return new TestCaseData(RepeatedIds, new ClearingOptions()).SetArgDisplayNames("repeated ids");
        yield return new TestCaseData(CollidingIds, new ClearingOptions()).SetArgDisplayNames("ids colliding in the id filter");
        yield return new TestCaseData(MarketOrdersOnly, new ClearingOptions(PriceRule.Midpoint, 500)).SetArgDisplayNames("market orders alone");
        yield return new TestCaseData(OverCapacity, new ClearingOptions()).SetArgDisplayNames("over capacity");
    }

    [TestCaseSource(nameof(Batches))]
    public void WarmEngineClearsWithoutAllocating(Order[] batch, ClearingOptions options)
    {
        var engine = new ClearingEngine(Capacity);
        var fills = new Fill[batch.Length];
        var warmUpFills = new Fill[OverCapacity.Length];
        engine.Clear(Market, NarrowBand, warmUpFills, default);
        engine.Clear(Market, WidePrices, warmUpFills, default);
        engine.Clear(Market, batch, fills, options);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ClearingResult result = engine.Clear(Market, batch, fills, options);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(result.Status, Is.EqualTo(ClearingStatus.Cleared), "the batch must go all the way through allocation");
    }

    /// <summary>
    /// The same with the batch split between the calling thread and a worker, whose allocations the current thread's
    /// counter would not see: this counts every thread's. Anything else the test host runs may allocate meanwhile, so
    /// the claim is that some batch out of a few allocates nothing, where a leak would make every one allocate.
    /// </summary>
    [TestCaseSource(nameof(Batches))]
    public void WarmParallelEngineClearsWithoutAllocatingOnAnyThread(Order[] batch, ClearingOptions options)
    {
        using var engine = new ClearingEngine(Capacity, degreeOfParallelism: 2, minOrdersPerLane: 1_000);
        var fills = new Fill[batch.Length];
        var warmUpFills = new Fill[OverCapacity.Length];
        engine.Clear(Market, NarrowBand, warmUpFills, default);
        engine.Clear(Market, WidePrices, warmUpFills, default);
        engine.Clear(Market, batch, fills, options);

        long fewest = long.MaxValue;
        for (int attempt = 0; attempt < 5 && fewest > 0; attempt++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            engine.Clear(Market, batch, fills, options);
            fewest = Math.Min(fewest, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        Assert.That(fewest, Is.Zero);
    }

    /// <summary>The same for <see cref="ClearingEngine.ClearAtPrice"/>, at the price the rule chose, on one thread and on two.</summary>
    [TestCaseSource(nameof(Batches))]
    public void WarmEngineClearsAtAGivenPriceWithoutAllocating(Order[] batch, ClearingOptions options)
    {
        var engine = new ClearingEngine(Capacity);
        using var parallel = new ClearingEngine(Capacity, degreeOfParallelism: 2, minOrdersPerLane: 1_000);
        var fills = new Fill[batch.Length];
        long price = engine.Clear(Market, batch, fills, options).Price!.Value;
        engine.ClearAtPrice(Market, batch, fills, price);
        parallel.ClearAtPrice(Market, batch, fills, price);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ClearingResult result = engine.ClearAtPrice(Market, batch, fills, price);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        long fewestOnAnyThread = long.MaxValue;
        for (int attempt = 0; attempt < 5 && fewestOnAnyThread > 0; attempt++)
        {
            before = GC.GetTotalAllocatedBytes(precise: true);
            parallel.ClearAtPrice(Market, batch, fills, price);
            fewestOnAnyThread = Math.Min(fewestOnAnyThread, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(fewestOnAnyThread, Is.Zero);
            Assert.That(result.Status, Is.EqualTo(ClearingStatus.Cleared), "the batch must go all the way through allocation");
        }
    }

    /// <summary>A marginal level read from a window of its own segment, on one thread and on two.</summary>
    [Test]
    public void AMarginalLevelFarFromTheGivenPriceIsReadWithoutAllocating()
    {
        var engine = new ClearingEngine(Capacity);
        using var parallel = new ClearingEngine(Capacity, degreeOfParallelism: 2, minOrdersPerLane: 1_000);
        var fills = new Fill[FarMarginal.Length];
        engine.ClearAtPrice(Market, FarMarginal, fills, 100);
        parallel.ClearAtPrice(Market, FarMarginal, fills, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ClearingResult result = engine.ClearAtPrice(Market, FarMarginal, fills, 100);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        long fewestOnAnyThread = long.MaxValue;
        for (int attempt = 0; attempt < 5 && fewestOnAnyThread > 0; attempt++)
        {
            before = GC.GetTotalAllocatedBytes(precise: true);
            parallel.ClearAtPrice(Market, FarMarginal, fills, 100);
            fewestOnAnyThread = Math.Min(fewestOnAnyThread, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(fewestOnAnyThread, Is.Zero);
            Assert.That(result.Volume, Is.EqualTo((UInt128)3));
            Assert.That(fills[^2].FilledQuantity, Is.EqualTo(3), "the lone buy far above the price is the marginal level");
            Assert.That(engine.LastLadder.Windows, Is.EqualTo(2), "the price's window, then the marginal buy's");
        }
    }

    [Test]
    public void BatchesExerciseThePathsTheyAreNamedFor()
    {
        var engine = new ClearingEngine(Capacity);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Clear(engine, Rationed, new ClearingOptions(PriceRule.Xetra, 1_001)).RationedCount, Is.GreaterThan(1));
            Assert.That(Clear(engine, RepeatedIds, default).RejectedCount, Is.EqualTo(1_000));
            Assert.That(Clear(engine, OverCapacity, default).RejectedCount, Is.EqualTo(2_000));
            Assert.That(Clear(engine, WidePrices, new ClearingOptions(PriceRule.Euronext, long.MaxValue / 2)).BestAsk, Is.LessThan(long.MaxValue / 1_000));
            Assert.That(engine.LastLadder.Segments, Is.GreaterThan(0), "wide prices are read window by window");
            Clear(engine, SpreadWithOutliers, new ClearingOptions(PriceRule.Xetra, 1_001_000_000_000));
            Assert.That(engine.LastLadder.Outliers, Is.GreaterThan(Capacity / 20), "a spread book with outliers on both sides");
            Clear(engine, NarrowBand, default);
            Assert.That(engine.LastLadder.Shift, Is.Zero, "a narrow band is read tick by tick");
        }
    }

    private static ClearingResult Clear(ClearingEngine engine, Order[] batch, ClearingOptions options) =>
        engine.Clear(Market, batch, new Fill[batch.Length], options);
}
