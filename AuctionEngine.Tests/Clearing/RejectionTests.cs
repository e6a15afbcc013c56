using AuctionEngine.Clearing;
using AuctionEngine.Clearing.Internal;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Build;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// Per-order rejections: a bad order is reported with its reason and left out, and the rest of the batch clears as
/// if it were not there.
/// </summary>
[TestFixture]
public sealed class RejectionTests
{
    /// <summary>Prices up to 1000 ticks, orders up to 100 lots.</summary>
    private static readonly Market Bounded = MarketWith(UInt128.One, UInt128.One, maxPrice: 1000, maxOrderQuantity: 100);

    private static IEnumerable<TestCaseData> InvalidOrders()
    {
        yield return Case(Raw(3, (Side)0, OrderType.Limit, 10, 5), RejectReason.InvalidSide);
        yield return Case(Raw(3, (Side)3, OrderType.Limit, 10, 5), RejectReason.InvalidSide);
        yield return Case(Raw(3, Side.Buy, (OrderType)2, 10, 5), RejectReason.InvalidOrderType);
        yield return Case(Raw(3, Side.Buy, OrderType.Limit, 10, 0), RejectReason.QuantityNotPositive);
        yield return Case(Raw(3, Side.Sell, OrderType.Market, 0, -4), RejectReason.QuantityNotPositive);
        yield return Case(Raw(3, Side.Buy, OrderType.Limit, 10, 101), RejectReason.QuantityTooLarge);
        yield return Case(Raw(3, Side.Sell, OrderType.Market, 0, long.MaxValue), RejectReason.QuantityTooLarge);
        yield return Case(Raw(3, Side.Buy, OrderType.Limit, 0, 5), RejectReason.PriceNotPositive);
        yield return Case(Raw(3, Side.Sell, OrderType.Limit, -10, 5), RejectReason.PriceNotPositive);
        yield return Case(Raw(3, Side.Buy, OrderType.Limit, 1001, 5), RejectReason.PriceTooHigh);
        yield return Case(Raw(3, Side.Sell, OrderType.Limit, long.MaxValue, 5), RejectReason.PriceTooHigh);

        static TestCaseData Case(Order order, RejectReason reason) =>
            new TestCaseData(order, reason).SetArgDisplayNames($"{reason}: side {(int)order.Side}, type {(int)order.Type}, {order.Quantity} @ {order.LimitPrice}");
    }

    [TestCaseSource(nameof(InvalidOrders))]
    public void InvalidOrderIsRejectedAndTheRestClears(Order invalid, RejectReason reason)
    {
        BatchOutcome outcome = Auction.Clear([Buy(1, 10, 5), invalid, Sell(2, 10, 5)], market: Bounded);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.FillOf(3), Is.EqualTo(new Fill(0, UInt128.Zero, reason)));
            Assert.That(outcome.FillOf(3).IsRejected, Is.True);
            Assert.That(outcome.FillOf(1), Is.EqualTo(new Fill(5, 50, RejectReason.None)));
            Assert.That(outcome.FillOf(2), Is.EqualTo(new Fill(5, 50, RejectReason.None)));
            Assert.That(outcome.Result.Price, Is.EqualTo(10));
            Assert.That(outcome.Result.AcceptedCount, Is.EqualTo(2));
            Assert.That(outcome.Result.RejectedCount, Is.EqualTo(1));
        }
    }

    [Test]
    public void BoundsThemselvesAreAccepted()
    {
        BatchOutcome outcome = Auction.Clear([Buy(1, 1000, 100), Sell(2, 1000, 100)], market: Bounded);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Rejections, Is.All.EqualTo(RejectReason.None));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 100, 100 }));
        }
    }

    [Test]
    public void EveryCopyOfARepeatedIdIsRejectedAndTheRestClears()
    {
        // Without the three #7s the book is a buy and a sell of 5 at 10. Had they counted, the best bid would be 12
        // and the best ask 9.
        BatchOutcome outcome = Auction.Clear([Buy(7, 12, 3), Buy(1, 10, 5), Sell(7, 9, 3), Sell(2, 10, 5), MarketBuy(7, 2)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Rejections, Is.EqualTo(new[] { RejectReason.DuplicateId, RejectReason.None, RejectReason.DuplicateId, RejectReason.None, RejectReason.DuplicateId }));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 0, 5, 0, 5, 0 }));
            Assert.That(outcome.Result, Is.EqualTo(new ClearingResult
            {
                Status = ClearingStatus.Cleared,
                Price = 10,
                Volume = 5,
                BestBid = 10,
                BestAsk = 10,
                AcceptedCount = 2,
                RejectedCount = 3,
                FilledCount = 2,
            }));
        }
    }

    [Test]
    public void IdZeroIsAnIdLikeAnyOther()
    {
        // The engine's id filter keeps 0 (its empty-slot marker) on the side; repeats of 0 must still be caught, and a
        // 0 seen in one batch must not count against the next.
        var engine = new ClearingEngine(4);
        BatchOutcome repeated = Auction.Clear([Buy(0, 10, 5), Sell(0, 10, 5), Buy(2, 10, 5), Sell(3, 10, 5)], engine: engine);
        BatchOutcome single = Auction.Clear([Buy(0, 10, 5), Sell(3, 10, 5)], engine: engine);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(repeated.Rejections, Is.EqualTo(new[] { RejectReason.DuplicateId, RejectReason.DuplicateId, RejectReason.None, RejectReason.None }));
            Assert.That(repeated.FilledQuantities, Is.EqualTo(new long[] { 0, 0, 5, 5 }));
            Assert.That(single.Rejections, Is.All.EqualTo(RejectReason.None));
            Assert.That(single.FilledQuantities, Is.EqualTo(new long[] { 5, 5 }));
        }
    }

    [Test]
    public void InvalidOrderSharingAnIdDoesNotMakeTheValidOneADuplicate()
    {
        // A rejected order is out of the batch, so it cannot change another order's outcome.
        BatchOutcome outcome = Auction.Clear([Buy(1, 10, 5), Sell(2, 10, 5), Raw(1, Side.Buy, OrderType.Limit, 10, 0)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Rejections, Is.EqualTo(new[] { RejectReason.None, RejectReason.None, RejectReason.QuantityNotPositive }));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 5, 5, 0 }));
        }
    }

    [TestCase(0, TestName = "Ids aimed at the same filter bits, none repeated: nothing rejected")]
    [TestCase(2, TestName = "Ids aimed at the same filter bits, two repeated: every copy rejected")]
    public void RepeatedIdsAreJudgedExactlyWhenTheIdsDefeatTheHashFilter(int repeated)
    {
        // 1000 ids aimed at the same bits of the id filter make every id after the first a suspect, so the engine's exact
        // (sorting) check runs on the whole batch and must neither miss a repeat nor invent one.
        const int Count = 1000;
        Order[] batch = RandomBatches.WithRepeatedIds(RandomBatches.WithCollidingIds(RandomBatches.NarrowBand(Count, seed: 7)), repeated);

        var filter = new DuplicateIdFilter(Count);
        filter.Reset(Count);
        DuplicateIdFilter.Adder adder = filter.StartAdding();
        foreach (ulong id in RandomBatches.CollidingIds(Count))
        {
            adder.Add(DuplicateIdFilter.Hash(id));
        }

        Assert.That(filter.SuspectCount, Is.EqualTo(Count - 1), "distinct ids that the filter cannot tell apart are what this test is about");

        BatchOutcome outcome = Auction.Clear(batch);
        OracleOutcome expected = Oracle.Clear(UnitMarket(), batch, default);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Rejections.Count(r => r == RejectReason.DuplicateId), Is.EqualTo(2 * repeated));
            Assert.That(outcome.Result, Is.EqualTo(expected.Result));
            Assert.That(outcome.Fills, Is.EqualTo(expected.Fills));
        }
    }

    [Test]
    public void RejectionsOfAnEarlierBatchDoNotCarryOverToTheNext()
    {
        var engine = new ClearingEngine(4);
        Auction.Clear([Raw(1, Side.Buy, OrderType.Limit, 10, 0), Sell(2, 10, 5)], engine: engine); // #1 is rejected.

        // A valid book that does not cross: nothing trades and nothing is rejected, in the same slots as before.
        BatchOutcome next = Auction.Clear([Buy(3, 9, 5), Sell(4, 10, 5)], engine: engine);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(next.Result.Status, Is.EqualTo(ClearingStatus.NothingExecutable));
            Assert.That(next.Result.RejectedCount, Is.Zero);
            Assert.That(next.Rejections, Is.All.EqualTo(RejectReason.None));
        }
    }

    [Test]
    public void OverCapacityKeepsTheLowestPriorityKeys()
    {
        // Capacity 2: keys 10 (#2) and 20 (#3) are cleared; keys 30 and 40 are cut.
        Order[] batch = [Buy(1, 10, 5, priorityKey: 40), Buy(2, 10, 5, priorityKey: 10), Sell(3, 10, 5, priorityKey: 20), Sell(4, 10, 5, priorityKey: 30)];

        BatchOutcome outcome = Auction.Clear(batch, engine: new ClearingEngine(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Rejections, Is.EqualTo(new[] { RejectReason.OverCapacity, RejectReason.None, RejectReason.None, RejectReason.OverCapacity }));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 0, 5, 5, 0 }));
            Assert.That(outcome.Result.AcceptedCount, Is.EqualTo(2));
            Assert.That(outcome.Result.RejectedCount, Is.EqualTo(2));
        }
    }

    [Test]
    public void ARepeatedIdIsRejectedEvenWhenTheCapacityCutsOneOfItsCopies()
    {
        // Capacity 2. #1's second copy ranks last; had the cut come first, it would have gone and the first copy (key
        // 10) traded with #2, leaving #4 over capacity. Both copies are duplicates, so #2 and #4 fit and trade.
        Order[] batch = [Buy(1, 10, 5, priorityKey: 10), Sell(2, 10, 5, priorityKey: 20), Buy(1, 11, 5, priorityKey: 30), Buy(4, 10, 5, priorityKey: 40)];

        BatchOutcome outcome = Auction.Clear(batch, engine: new ClearingEngine(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Rejections, Is.EqualTo(new[] { RejectReason.DuplicateId, RejectReason.None, RejectReason.DuplicateId, RejectReason.None }));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 0, 5, 0, 5 }));
            Assert.That(outcome.Result.AcceptedCount, Is.EqualTo(2));
            Assert.That(outcome.Result.RejectedCount, Is.EqualTo(2));
        }
    }

    [Test]
    public void InvalidOrdersWithTheLowestKeysDoNotTakeTheSlotsOfValidOnes()
    {
        // Capacity 2, and the two lowest keys belong to invalid orders: they get their reasons, and the two valid
        // orders clear.
        Order[] batch = [Raw(1, Side.Buy, OrderType.Limit, 10, 0, priorityKey: 1), Raw(2, (Side)0, OrderType.Limit, 10, 5, priorityKey: 2), Buy(3, 10, 5, priorityKey: 30), Sell(4, 10, 5, priorityKey: 40)];

        BatchOutcome outcome = Auction.Clear(batch, engine: new ClearingEngine(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Rejections, Is.EqualTo(new[] { RejectReason.QuantityNotPositive, RejectReason.InvalidSide, RejectReason.None, RejectReason.None }));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 0, 0, 5, 5 }));
            Assert.That(outcome.Result.Price, Is.EqualTo(10));
        }
    }

    [Test]
    public void OnlyValidOrdersWithUniqueIdsCompeteForTheCapacity()
    {
        // Capacity 2: an invalid order (key 0) and both copies of #1 (keys 1 and 2) are out for their own reasons;
        // of #3, #4 and #5, the two lowest keys clear and #5 is over capacity.
        Order[] batch =
        [
            Sell(5, 10, 5, priorityKey: 50), Buy(1, 10, 5, priorityKey: 1), Raw(6, Side.Sell, OrderType.Limit, -3, 5, priorityKey: 0),
            Sell(4, 10, 5, priorityKey: 40), Sell(1, 10, 5, priorityKey: 2), Buy(3, 10, 5, priorityKey: 30),
        ];

        BatchOutcome outcome = Auction.Clear(batch, engine: new ClearingEngine(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Rejections, Is.EqualTo(new[]
            {
                RejectReason.OverCapacity, RejectReason.DuplicateId, RejectReason.PriceNotPositive, RejectReason.None, RejectReason.DuplicateId, RejectReason.None,
            }));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 0, 0, 0, 5, 0, 5 }));
            Assert.That(outcome.Result.AcceptedCount, Is.EqualTo(2));
            Assert.That(outcome.Result.RejectedCount, Is.EqualTo(4));
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property BatchesOverCapacityClearAsTheOracleSaysOnOneThreadAndOnSeveral() => Prop.ForAll(Generators.BooksOverCapacity, c =>
    {
        OracleOutcome expected = c.Book.Expected(c.Capacity);
        BatchOutcome single = c.Book.Clear(new ClearingEngine(c.Capacity));
        using var parallel = new ClearingEngine(c.Capacity, 3, minOrdersPerLane: 2);
        BatchOutcome split = c.Book.Clear(parallel);
        return Prop.Label(
            single.Result == expected.Result && single.Fills.SequenceEqual(expected.Fills) &&
            split.Result == expected.Result && split.Fills.SequenceEqual(expected.Fills),
            $"capacity {c.Capacity}\nengine {single.Result}\noracle {expected.Result}");
    });

    [Test]
    public void OverCapacityBreaksEqualKeysByLowerId()
    {
        Order[] batch = [Sell(4, 10, 5), Buy(3, 10, 5), Buy(1, 10, 5), Sell(2, 10, 5)];

        BatchOutcome outcome = Auction.Clear(batch, engine: new ClearingEngine(2));

        Assert.That(outcome.Rejections, Is.EqualTo(new[] { RejectReason.OverCapacity, RejectReason.OverCapacity, RejectReason.None, RejectReason.None }));
    }

    [Test]
    public void OverCapacityCutDoesNotDependOnArrivalOrder()
    {
        Order[] batch = [.. RandomBatches.NarrowBand(300, seed: 11)];
        BatchOutcome forward = Auction.Clear(batch, engine: new ClearingEngine(100));
        BatchOutcome backward = Auction.Clear([.. Enumerable.Reverse(batch)], engine: new ClearingEngine(100));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(forward.Result, Is.EqualTo(backward.Result));
            Assert.That(forward.Rejections.Count(r => r == RejectReason.OverCapacity), Is.EqualTo(200));
            Assert.That(batch.Select(o => backward.FillOf(o.Id)), Is.EqualTo(forward.Fills));
        }
    }
}
