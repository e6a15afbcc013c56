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
        yield return new TestCaseData(WidePrices, new ClearingOptions(PriceRule.Euronext, long.MaxValue / 2)).SetArgDisplayNames("wide adversarial prices (radix sort)");
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
        }
    }

    private static ClearingResult Clear(ClearingEngine engine, Order[] batch, ClearingOptions options) =>
        engine.Clear(Market, batch, new Fill[batch.Length], options);
}
