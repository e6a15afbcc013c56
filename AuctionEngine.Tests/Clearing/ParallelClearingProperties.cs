using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// Splitting a batch between threads changes only the time: the same fills, on messy books too. The engines here
/// split from a handful of orders per lane, so that small generated books cross every lane boundary.
/// </summary>
[TestFixture]
public sealed class ParallelClearingProperties
{
    private static readonly Arbitrary<int> Degrees = Arb.From(Gen.Choose(2, 5));

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property ParallelLanesClearExactlyAsOneThreadAndTheOracle() => Prop.ForAll(Generators.MessyBooksAndCapacities, Degrees, (messy, degree) =>
    {
        (Book book, int capacity) = messy;
        using var parallel = new ClearingEngine(capacity, degree, minOrdersPerLane: 2);
        BatchOutcome split = book.Clear(parallel);
        BatchOutcome single = book.Clear(new ClearingEngine(capacity));
        OracleOutcome expected = book.Expected(capacity);
        return split.Result == single.Result && split.Fills.SequenceEqual(single.Fills) &&
            split.Result == expected.Result && split.Fills.SequenceEqual(expected.Fills);
    });

    /// <summary>Spread books, with 1 to 64 spread bins, split into lanes of a few orders: each lane bins its orders in the same bins.</summary>
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property ParallelLanesClearSpreadBooksExactlyAsOneThreadAndTheOracle() =>
        Prop.ForAll(SpreadBooks.BooksAndPrices, Degrees, Arb.From(Gen.Elements(1, 2, 5, 64)), (c, degree, bins) =>
        {
            int capacity = Math.Max(1, c.Book.Orders.Length);
            using var parallel = new ClearingEngine(capacity, degree, minOrdersPerLane: 2, spreadBins: bins);
            var single = new ClearingEngine(capacity, 1, ClearingEngine.DefaultMinOrdersPerLane, bins);
            BatchOutcome split = c.Book.Clear(parallel);
            BatchOutcome alone = c.Book.Clear(single);
            BatchOutcome splitAt = c.Book.ClearAt(c.Price, parallel);
            BatchOutcome aloneAt = c.Book.ClearAt(c.Price, single);
            OracleOutcome expected = c.Book.Expected();
            return split.Result == alone.Result && split.Fills.SequenceEqual(alone.Fills) &&
                split.Result == expected.Result && split.Fills.SequenceEqual(expected.Fills) &&
                splitAt.Result == aloneAt.Result && splitAt.Fills.SequenceEqual(aloneAt.Fills);
        });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property ARepeatedIdSplitBetweenLanesIsStillRejected() => Prop.ForAll(Generators.BooksWithARepeatedId, Degrees, (repeated, degree) =>
    {
        (Book book, Order copy, int position) = repeated;
        Book withCopy = book.WithInserted(copy, position);
        using var parallel = new ClearingEngine(withCopy.Orders.Length, degree, minOrdersPerLane: 1);
        BatchOutcome outcome = withCopy.Clear(parallel);
        return outcome.Fills.Where((_, i) => withCopy.Orders[i].Id == copy.Id).All(f => f.Rejection == RejectReason.DuplicateId) &&
            outcome.Fills.SequenceEqual(withCopy.Expected().Fills);
    });

    [Test]
    public void AParallelEngineIsReusedBatchAfterBatch()
    {
        using var engine = new ClearingEngine(2_000, 3, minOrdersPerLane: 100);
        for (int seed = 0; seed < 20; seed++)
        {
            Order[] batch = seed % 2 == 0 ? RandomBatches.NarrowBand(1_000 + seed * 50, seed) : RandomBatches.WidePrices(1_500, seed);
            BatchOutcome outcome = Auction.Clear(batch, new ClearingOptions(PriceRule.Xetra, 1_020), engine: engine);
            OracleOutcome expected = Oracle.Clear(Build.UnitMarket(), batch, new ClearingOptions(PriceRule.Xetra, 1_020));
            Assert.That(outcome.Fills, Is.EqualTo(expected.Fills), $"batch {seed}");
        }
    }

    [TestCase(0, TestName = "Ids aimed at the same filter bits, split between lanes, none repeated: nothing rejected")]
    [TestCase(3, TestName = "Ids aimed at the same filter bits, split between lanes, three repeated across lanes: every copy rejected")]
    public void IdsThatDefeatTheFilterInEveryLaneAreJudgedExactly(int repeated)
    {
        // Every id sets the same three bits, so every id is a suspect in its own lane and in the bits both lanes set;
        // WithRepeatedIds copies the first ids (first lane) onto the last orders (second lane).
        const int Count = 2_000;
        Order[] batch = RandomBatches.WithRepeatedIds(RandomBatches.WithCollidingIds(RandomBatches.NarrowBand(Count, seed: 9)), repeated);
        using var parallel = new ClearingEngine(Count, 2, minOrdersPerLane: 100);

        BatchOutcome outcome = Auction.Clear(batch, engine: parallel);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Fills.Count(f => f.Rejection == RejectReason.DuplicateId), Is.EqualTo(2 * repeated));
            Assert.That(outcome.Fills, Is.EqualTo(Oracle.Clear(Build.UnitMarket(), batch, default).Fills));
        }
    }

    [Test]
    public void ALargeBatchIsSplitAtTheDefaultThresholdAndClearsAsOneThreadDoes()
    {
        Order[] batch = RandomBatches.NarrowBand(300_000, seed: 7);
        using var parallel = new ClearingEngine(batch.Length, 2);
        BatchOutcome split = Auction.Clear(batch, engine: parallel);
        BatchOutcome single = Auction.Clear(batch, engine: new ClearingEngine(batch.Length));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parallel.DegreeOfParallelism, Is.EqualTo(2));
            Assert.That(split.Result, Is.EqualTo(single.Result));
            Assert.That(split.Fills, Is.EqualTo(single.Fills));
        }
    }

    [Test]
    public void ADisposedEngineRefusesToClear()
    {
        Order[] batch = RandomBatches.NarrowBand(1_000, seed: 8);
        var parallel = new ClearingEngine(batch.Length, 2, minOrdersPerLane: 100);
        var single = new ClearingEngine(batch.Length);
        Auction.Clear(batch, engine: parallel);
        parallel.Dispose();
        single.Dispose();
        parallel.Dispose();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => Auction.Clear(batch, engine: parallel), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => Auction.Clear(batch, engine: single), Throws.TypeOf<ObjectDisposedException>());
        }
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(ClearingEngine.MaxDegreeOfParallelism + 1)]
    public void DegreeOfParallelismOutsideItsRangeThrows(int degree) =>
        Assert.That(() => new ClearingEngine(100, degree), Throws.TypeOf<ArgumentOutOfRangeException>());
}
