using System.Globalization;
using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// Every degree of parallelism, with the default lane size, clears every batch exactly as one thread does. A batch
/// that uses fewer lanes than the degree gives each lane more than capacity / degree orders (49,151 orders on 2 of 3
/// lanes give a lane 24,576), so the sizes that matter are those where the lane count changes, the capacity, and
/// capacity / degree; and the books that matter are bands, spread books (each lane bins its orders in the same spread
/// bins and keeps its own outliers) and books at the switch between the two.
/// </summary>
[TestFixture]
public sealed class DegreeOfParallelismTests
{
    private const int LaneSize = ClearingEngine.DefaultMinOrdersPerLane;

    /// <summary>The capacity of the engines the random batches clear on, and the most orders such a batch holds.</summary>
    private const int PropertyCapacity = 200_000;

    private static readonly Market Market = Build.UnitMarket();

    /// <summary>
    /// Enough orders for the largest batch looked at (past <see cref="ClearingEngine.MaxDegreeOfParallelism"/> + 1
    /// lanes' worth), in a narrow band, with a few ids repeated across lanes and a few invalid orders, so that
    /// every pass the lanes split (intake, the duplicate check, fill writing) has work.
    /// </summary>
    private static readonly Order[] NarrowPool = Messy(RandomBatches.NarrowBand(((ClearingEngine.MaxDegreeOfParallelism + 1) * LaneSize) + 2, seed: 17, width: 200));

    /// <summary>The same for prices spread over the whole range, which the lanes bin in spread bins.</summary>
    private static readonly Order[] WidePool = Messy(RandomBatches.WidePrices(PropertyCapacity, seed: 18));

    /// <summary>
    /// A spread book with outliers on both sides: nine orders in ten uniform over 10^9 to 3 × 10^9, the rest far below
    /// and far above, which the lanes keep as outliers for the bins of their own.
    /// </summary>
    private static readonly Order[] SpreadPool = Messy(Spread(NarrowPool.Length, seed: 19));

    /// <summary>
    /// Limits uniform over 65,536 ticks, the histogram of a 200,000-order engine: the middle half of a sample spans
    /// about 32,768 ticks, the cut-off between a band and a spread book, so batches fall on either side of it.
    /// </summary>
    private static readonly Order[] SwitchPool = Messy(RandomBatches.NarrowBand(PropertyCapacity, seed: 20, lowestPrice: 1_000_000, width: 1 << 16));

    /// <summary>One thread's reference, shared by every degree's property.</summary>
    private static readonly Lazy<ClearingEngine> OneThread = new(() => new ClearingEngine(PropertyCapacity));

    private static IEnumerable<int> Degrees() => Enumerable.Range(1, ClearingEngine.MaxDegreeOfParallelism);

    /// <summary>
    /// Two capacities per degree: degree × 16,384 + 1, whose capacity / degree is one order over a lane's minimum,
    /// so batches just short of each multiple of 16,384, on one lane fewer, give a lane far more than it; and
    /// (degree + 1) × 16,384 + 1, which holds every lane-count change up to degree + 1 lanes.
    /// </summary>
    [TestCaseSource(nameof(Degrees))]
    public void EveryBatchSizeWhereTheSplitChangesClearsAsOneThreadDoes(int degree) =>
        ClearsAsOneThreadAtEveryCutOff(NarrowPool, degree, [(degree * LaneSize) + 1, ((degree + 1) * LaneSize) + 1]);

    /// <summary>The same for a spread book with outliers on both sides, on the engine that holds every lane-count change.</summary>
    [TestCaseSource(nameof(Degrees))]
    public void EveryBatchSizeWhereTheSplitChangesClearsASpreadBookAsOneThreadDoes(int degree) =>
        ClearsAsOneThreadAtEveryCutOff(SpreadPool, degree, [((degree + 1) * LaneSize) + 1]);

    private static void ClearsAsOneThreadAtEveryCutOff(Order[] pool, int degree, int[] capacities)
    {
        var expectedFills = new Fill[pool.Length];
        var fills = new Fill[pool.Length];
        foreach (int capacity in capacities)
        {
            using var parallel = new ClearingEngine(capacity, degree);
            using var single = new ClearingEngine(capacity);
            using (Assert.EnterMultipleScope())
            {
                foreach (int count in CutOffs(degree, capacity, maxLanes: degree + 1))
                {
                    ReadOnlySpan<Order> batch = pool.AsSpan(0, count);
                    ClearingResult expected = single.Clear(Market, batch, expectedFills);
                    ClearingResult actual = default;
                    string where = $"{count} orders, capacity {capacity}, {degree} threads";
                    Assert.That(() => actual = parallel.Clear(Market, pool.AsSpan(0, count), fills), Throws.Nothing, where);
                    Assert.That(actual, Is.EqualTo(expected), where);
                    Assert.That(FirstDifference(fills, expectedFills, count), Is.Null, where);
                }
            }
        }
    }

    /// <summary>
    /// For random batches of any size up to 200,000 (uniform over the range, or at a cut-off), narrow, wide, spread with
    /// outliers or at the switch between band and spread, with ids repeated across lanes and invalid orders at random
    /// places: the same fills and result as one thread. One engine per degree serves every batch, as a host would use it.
    /// </summary>
    [TestCaseSource(nameof(Degrees))]
    public void RandomBatchesOfAnySizeClearAsOnOneThread(int degree)
    {
        using var parallel = new ClearingEngine(PropertyCapacity, degree);
        var expectedFills = new Fill[PropertyCapacity];
        var fills = new Fill[PropertyCapacity];
        Property property = Prop.ForAll(RandomBatch(degree), spec =>
        {
            Order[] batch = spec.Build();
            ClearingResult expected = OneThread.Value.Clear(Market, batch, expectedFills);
            ClearingResult actual = parallel.Clear(Market, batch, fills);
            string? difference = actual == expected ? FirstDifference(fills, expectedFills, batch.Length) : $"result {actual}, one thread {expected}";
            return difference is null ? Prop.ToProperty(true) : Prop.Label(false, difference);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(30).WithQuietOnSuccess(true), property);
    }

    /// <summary>
    /// The lanes' structures are sized by <see cref="ClearingEngine.LongestSplitSlice"/>: for any capacity, degree and
    /// lane size, it is the longest slice that splitting any batch of up to the capacity actually produces.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property TheLanesAreSizedForTheLongestSliceOfAnyBatch() => Prop.ForAll(
        Arb.From(Gen.Choose(1, 3_000)), Arb.From(Gen.Choose(1, ClearingEngine.MaxDegreeOfParallelism)), Arb.From(Gen.Frequency((3, Gen.Choose(1, 40)), (1, Gen.Choose(41, 2_000)))),
        (capacity, degree, laneSize) =>
        {
            int longest = 0;
            for (int count = 1; count <= capacity; count++)
            {
                int lanes = ClearingEngine.LanesFor(count, degree, laneSize);
                for (int k = 0; lanes > 1 && k < lanes; k++)
                {
                    // The split StartLanes makes: lane k takes [count × k / lanes, count × (k + 1) / lanes).
                    longest = Math.Max(longest, (int)(((long)count * (k + 1) / lanes) - ((long)count * k / lanes)));
                }
            }

            int sized = ClearingEngine.LongestSplitSlice(capacity, degree, laneSize);
            return Prop.Label(sized == longest, $"sized for {sized}, longest slice {longest}");
        });

    /// <summary>
    /// Batch sizes at and around every multiple of 16,384 where the lane count changes (up to
    /// <paramref name="maxLanes"/> lanes), the capacity, and capacity / degree, rounded up; at least 1.
    /// </summary>
    private static SortedSet<int> CutOffs(int degree, int capacity, int maxLanes)
    {
        int perLane = (capacity + degree - 1) / degree;
        IEnumerable<int> centres = Enumerable.Range(1, maxLanes).Select(k => k * LaneSize).Append(capacity).Append(perLane);
        return [.. centres.SelectMany(c => new[] { c - 1, c, c + 1 }).Where(n => n >= 1)];
    }

    private static Arbitrary<BatchSpec> RandomBatch(int degree)
    {
        int[] cutOffs = [.. CutOffs(degree, PropertyCapacity, maxLanes: PropertyCapacity / LaneSize).Where(n => n <= PropertyCapacity)];
        Gen<BatchSpec> specs =
            from size in Gen.Frequency((3, Gen.Choose(0, PropertyCapacity)), (2, Gen.Elements(cutOffs)))
            from pool in Gen.Frequency((3, Gen.Constant(Pool.Narrow)), (1, Gen.Constant(Pool.Wide)), (1, Gen.Constant(Pool.Spread)), (1, Gen.Constant(Pool.Switch)))
            from offset in Gen.Choose(0, PropertyCapacity - 1)
            from repeats in Gen.Choose(0, 4).SelectMany(n => Gen.Choose(0, Math.Max(0, size - 1)).Two().ArrayOf(n))
            from invalid in Gen.Choose(0, 4).SelectMany(n => Gen.Choose(0, Math.Max(0, size - 1)).ArrayOf(n))
            select new BatchSpec(size, pool, offset, [.. repeats.Select(t => (t.Item1, t.Item2))], invalid);
        return Arb.From(specs);
    }

    /// <summary>
    /// The pool with every 4,099th order carrying the id of the order 20,000 places earlier (a repeat whose copies
    /// usually sit in different lanes) and every 7,919th order invalid (quantity 0).
    /// </summary>
    private static Order[] Messy(Order[] pool) =>
        [.. pool.Select((o, i) => i % 7_919 == 7_918 ? o.WithQuantity(0) : i % 4_099 == 4_098 && i >= 20_000 ? o.WithId(pool[i - 20_000].Id) : o)];

    /// <summary><paramref name="count"/> orders of <see cref="SpreadPool"/>'s shape: 90% in the middle stretch, 5% far below it, 5% far above.</summary>
    private static Order[] Spread(int count, int seed)
    {
        Order[] middle = RandomBatches.NarrowBand(count, seed, lowestPrice: 1_000_000_000, width: 2_000_000_000);
        var random = new Random(seed);
        return [.. middle.Select((o, i) => o.IsMarket ? o : (i % 20) switch
        {
            0 => o.WithLimit(random.NextInt64(1, 1_000_000)),
            1 => o.WithLimit(long.MaxValue - random.NextInt64(1_000_000)),
            _ => o,
        })];
    }

    private static string? FirstDifference(Fill[] actual, Fill[] expected, int count)
    {
        int i = actual.AsSpan(0, count).CommonPrefixLength(expected.AsSpan(0, count));
        return i == count ? null : $"fill {i}: {actual[i]}, one thread {expected[i]}";
    }

    private enum Pool
    {
        Narrow,
        Wide,
        Spread,
        Switch,
    }

    /// <summary>
    /// A batch drawn from a pool: <see cref="Size"/> orders from <see cref="Offset"/> on (wrapping), then for each
    /// repeat (a, b) order b takes order a's id, and each invalid position gets quantity 0.
    /// </summary>
    private sealed record BatchSpec(int Size, Pool From, int Offset, (int From, int To)[] Repeats, int[] Invalid)
    {
        public Order[] Build()
        {
            Order[] pool = From switch
            {
                Pool.Narrow => NarrowPool,
                Pool.Wide => WidePool,
                Pool.Spread => SpreadPool,
                _ => SwitchPool,
            };
            var batch = new Order[Size];
            for (int i = 0; i < Size; i++)
            {
                batch[i] = pool[(Offset + i) % pool.Length];
            }

            if (Size == 0)
            {
                return batch;
            }

            foreach ((int from, int to) in Repeats)
            {
                batch[to] = batch[to].WithId(batch[from].Id);
            }

            foreach (int position in Invalid)
            {
                batch[position] = batch[position].WithQuantity(0);
            }

            return batch;
        }

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Size} {From} orders from {Offset}, repeats [{string.Join(", ", Repeats)}], invalid [{string.Join(", ", Invalid)}]");
    }
}
