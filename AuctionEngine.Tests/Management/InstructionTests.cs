using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Management.ManagerHarness;

namespace AuctionEngine.Tests.Management;

/// <summary>Standing limits and icebergs, TWAPs, OCOs and brackets, expiry and cancellation, and their corner cases.</summary>
[TestFixture]
public sealed class InstructionTests
{
    [Test]
    public void AnIcebergShowsItsDisplayQuantityEachBatchUntilFilled()
    {
        var harness = new ManagerHarness { FillRule = static (_, order) => order.Order.Quantity };
        var iceberg = Limit(1, Side.Buy, 1_000, 10, display: 4);
        for (long block = 1; block <= 5; block++)
        {
            harness.Block(block, null, block == 1 ? [iceberg] : null);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(string.Join(",", harness.Events.OfKind(ManagementEventKind.Released).Select(e => e.Quantity)), Is.EqualTo("4,4,2"));
            Assert.That(harness.Events.OfKind(ManagementEventKind.Released).All(e => e.Price == 1_000 && e.Side == Side.Buy));
            Assert.That(harness.Events.OfKind(ManagementEventKind.Completed).Single().Quantity, Is.EqualTo(10));
        }
    }

    [Test]
    public void AnInstructionExpiringInBlockNStillReleasesInNAndExpiresInNPlusOne()
    {
        var harness = new ManagerHarness();
        var limit = Limit(1, Side.Sell, 1_000, 5, expiry: 3);
        for (long block = 1; block <= 4; block++)
        {
            harness.Block(block, null, block == 1 ? [limit] : null);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(harness.Events.OfKind(ManagementEventKind.Released).Select(e => e.Block), Is.EqualTo(new long[] { 1, 2, 3 }));
            Assert.That(harness.Events.OfKind(ManagementEventKind.Expired).Single().Block, Is.EqualTo(4));
            Assert.That(harness.Manager.LiveInstructions, Is.Zero);
        }
    }

    [Test]
    public void AnInstructionAlreadyExpiredOnArrivalIsRejected()
    {
        var harness = new ManagerHarness();
        List<ManagementEvent> events = harness.Block(5, null, [Limit(1, Side.Sell, 1_000, 5, expiry: 4)]);
        Assert.That(events.OfKind(ManagementEventKind.Rejected).Single().Reason, Is.EqualTo(InstructionRejectReason.ExpiredOnArrival));
    }

    [Test]
    public void AnInstructionCancelledInTheBlockItWouldTriggerNeverTriggers()
    {
        var harness = new ManagerHarness();
        var stop = Stop(1, Side.Sell, StopKind.StopLoss, 1_000, 5);
        harness.Block(1, 1_100, [stop]);
        List<ManagementEvent> events = harness.Block(2, 900, cancellations: [Cancel(1, stop)]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Select(e => e.Kind), Is.EqualTo(new[] { ManagementEventKind.Cancelled }));
            Assert.That(events[0].Cause, Is.EqualTo(CancelCause.Trader));
        }
    }

    [Test]
    public void CancellingAnInstructionWithdrawsItsOrderFromABatchThatHasNotCleared()
    {
        var harness = new ManagerHarness();
        var limit = Limit(1, Side.Sell, 1_000, 5);
        harness.Block(1, null, [limit]);

        // Batch 2 is interrupted: the venue applies no fills, so the order stays pending.
        harness.Manager.SubmitVerified(2, [], []);
        harness.Manager.Evaluate(2, null, Randomness(3));
        List<ManagementEvent> deferred = harness.Flush();
        harness.Manager.SubmitVerified(3, [Cancel(1, limit)], []);
        List<ManagementEvent> cancelled = harness.Flush();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(deferred.OfKind(ManagementEventKind.Released), Is.Empty, "nothing new while its order waits");
            Assert.That(cancelled.Select(e => e.Kind), Is.EqualTo(new[] { ManagementEventKind.Withdrawn, ManagementEventKind.Cancelled }));
            Assert.That(cancelled[0].Batch, Is.EqualTo(2));
            Assert.That(harness.Manager.ReleasedOrders(2).IsEmpty);
        }
    }

    [Test]
    public void ATwapReleasesItsPartsOnScheduleCatchingUpOnWhatEarlierPartsMissed()
    {
        // 10 lots in 4 parts, one every 2 blocks from block 2: parts at 2, 4, 6, 8; normal part ceil(10/4) = 3.
        var harness = new ManagerHarness { FillRule = static (block, order) => block == 5 ? 4 : block >= 7 ? order.Order.Quantity : 0 };
        var twap = Twap(1, Side.Buy, 10, parts: 4, blocksPerPart: 2, tolerance: 100);
        for (long block = 1; block <= 10; block++)
        {
            harness.Block(block, 1_000, block == 1 ? [twap] : null);
        }

        ManagementEvent[] released = [.. harness.Events.OfKind(ManagementEventKind.Released)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(released.Select(e => (e.Block, e.Part, e.Quantity)), Is.EqualTo(new[] { (2L, 0, 3L), (4L, 1, 4L), (6L, 2, 3L), (8L, 3, 3L) }));
            Assert.That(released.Select(e => e.Price).Distinct().Single(), Is.EqualTo(1_010), "ceil(1000 * 1.01)");
            ManagementEvent completed = harness.Events.OfKind(ManagementEventKind.Completed).Single();
            Assert.That((completed.Block, completed.Quantity), Is.EqualTo((9L, 10L)));
        }
    }

    [Test]
    public void ATwapPartNeverExceedsThreeNormalPartsAndAStalePartIsSkipped()
    {
        var harness = new ManagerHarness(maxOracleAge: 0);
        var twap = Twap(1, Side.Sell, 100, parts: 10, blocksPerPart: 1, tolerance: 0, limit: 990);
        for (long block = 1; block <= 12; block++)
        {
            harness.Block(block, block == 5 ? null : 1_000, block == 1 ? [twap] : null, publishedBlock: block);
        }

        ManagementEvent[] released = [.. harness.Events.OfKind(ManagementEventKind.Released)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(harness.Events.OfKind(ManagementEventKind.PartSkipped).Single().Part, Is.EqualTo(3));
            Assert.That(released.Select(e => e.Quantity), Is.EqualTo(new long[] { 10, 12, 13, 17, 20, 25, 30, 30, 30 }));
            Assert.That(released.All(e => e.Price == 1_000), "the hard limit is below the oracle for a sell, so the oracle stands");
            Assert.That(harness.Events.OfKind(ManagementEventKind.Completed).Single().Quantity, Is.Zero);
        }
    }

    [Test]
    public void WhenOneOcoLegTriggersTheOtherIsCancelled()
    {
        var harness = new ManagerHarness();
        var oco = Oco(1, InstructionLeg.Stop(Side.Sell, StopKind.StopLoss, 900, 5), InstructionLeg.Stop(Side.Sell, StopKind.TakeProfit, 1_100, 5));
        harness.Block(1, 1_000, [oco]);
        List<ManagementEvent> events = harness.Block(2, 1_100);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Select(e => (e.Kind, e.Role)), Is.EqualTo(new[]
            {
                (ManagementEventKind.Triggered, LegRole.Second), (ManagementEventKind.Cancelled, LegRole.First), (ManagementEventKind.Released, LegRole.Second),
            }));
            Assert.That(harness.Block(3, 800).OfKind(ManagementEventKind.Triggered), Is.Empty);
        }
    }

    [Test]
    public void WhenBothOcoLegsTriggerInOneBlockTheFirstAsSignedWins()
    {
        var harness = new ManagerHarness();
        var oco = Oco(1, InstructionLeg.Stop(Side.Sell, StopKind.StopLoss, 1_000, 5), InstructionLeg.Stop(Side.Sell, StopKind.StopLoss, 1_100, 5));
        List<ManagementEvent> events = harness.Block(1, 900, [oco]);
        Assert.That(events.Skip(1).Select(e => (e.Kind, e.Role)), Is.EqualTo(new[]
        {
            (ManagementEventKind.Triggered, LegRole.First), (ManagementEventKind.Cancelled, LegRole.Second), (ManagementEventKind.Released, LegRole.First),
        }));
    }

    [Test]
    public void AnOcoLimitLegsFirstFillCancelsTheStopLeg()
    {
        var harness = new ManagerHarness { FillRule = static (_, _) => 1 };
        var oco = Oco(1, InstructionLeg.Limit(Side.Sell, 1_200, 5), InstructionLeg.Stop(Side.Sell, StopKind.StopLoss, 900, 5));
        harness.Block(1, 1_000, [oco]);
        List<ManagementEvent> events = harness.Block(2, 800);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Select(e => (e.Kind, e.Role)).Take(2), Is.EqualTo(new[] { (ManagementEventKind.Fill, LegRole.First), (ManagementEventKind.Cancelled, LegRole.Second) }));
            Assert.That(events.OfKind(ManagementEventKind.Triggered), Is.Empty);
        }
    }

    [Test]
    public void AnOcoOfTwoStandingLimitsIsRefused()
    {
        var harness = new ManagerHarness();
        var oco = Oco(1, InstructionLeg.Limit(Side.Sell, 1_200, 5), InstructionLeg.Limit(Side.Buy, 800, 5));
        Assert.That(harness.Block(1, null, [oco]).OfKind(ManagementEventKind.Rejected).Single().Reason, Is.EqualTo(InstructionRejectReason.InvalidLegs));
    }

    [Test]
    public void ABracketsExitsAreArmedOnlyForWhatTheEntryFilledAndAPartialCloseNeverCancelsTheOtherExit()
    {
        // Entry: buy 10 at 1000. Exits: take-profit sell at 1200, stop-loss sell at 900.
        long[] entryFills = [0, 0, 4, 0, 0, 0, 6, 0];
        var harness = new ManagerHarness
        {
            FillRule = (block, order) => order.Role == LegRole.Entry ? entryFills[block] : order.Role == LegRole.StopLoss && block == 5 ? 1 : block == 7 ? order.Order.Quantity : 0,
        };
        var bracket = Bracket(1, InstructionLeg.Limit(Side.Buy, 1_000, 10), takeProfit: 1_200, stopLoss: 900);
        List<ManagementEvent> b1 = harness.Block(1, 800, [bracket]); // below the stop-loss, but nothing to protect yet
        harness.Block(2, 1_000);                                     // batch 2: the entry fills 4
        List<ManagementEvent> b3 = harness.Block(3, 890);            // the stop-loss triggers for 4
        harness.Block(4, 1_000);
        List<ManagementEvent> b5 = harness.Block(5, 1_000);          // batch 5: the stop-loss closes 1 of 4; the take-profit stays
        List<ManagementEvent> b6 = harness.Block(6, 1_000);          // batch 6: the entry fills its last 6; position 9
        List<ManagementEvent> b7 = harness.Block(7, 1_000);          // batch 7: the stop-loss closes the 9 left
        using (Assert.EnterMultipleScope())
        {
            Assert.That(b1.OfKind(ManagementEventKind.Triggered), Is.Empty);
            Assert.That(b3.OfKind(ManagementEventKind.Triggered).Single().Role, Is.EqualTo(LegRole.StopLoss));
            Assert.That(b3.OfKind(ManagementEventKind.Released).Single(e => e.Role == LegRole.StopLoss).Quantity, Is.EqualTo(4));
            Assert.That(b5.OfKind(ManagementEventKind.Cancelled), Is.Empty, "a partial close keeps the take-profit armed");
            Assert.That(b5.OfKind(ManagementEventKind.Released).Single(e => e.Role == LegRole.StopLoss).Quantity, Is.EqualTo(3));
            Assert.That(b6.OfKind(ManagementEventKind.Released).Single(e => e.Role == LegRole.StopLoss).Quantity, Is.EqualTo(9));
            Assert.That(b7.Where(e => e.Kind is ManagementEventKind.Cancelled or ManagementEventKind.Completed).Select(e => (e.Kind, e.Role, e.Cause)), Is.EqualTo(new[]
            {
                (ManagementEventKind.Cancelled, LegRole.TakeProfit, CancelCause.PositionClosed), (ManagementEventKind.Completed, LegRole.Whole, CancelCause.None),
            }));
        }
    }

    [Test]
    public void ABracketsTwoTriggeredExitsNeverOfferMoreThanThePositionTogetherAndTheFirstToTriggerGoesFirst()
    {
        var harness = new ManagerHarness { FillRule = static (block, order) => order.Role == LegRole.Entry && block == 2 ? 6 : 0 };
        var bracket = Bracket(1, InstructionLeg.Limit(Side.Buy, 1_000, 6), takeProfit: 1_200, stopLoss: 900);
        harness.Block(1, 1_000, [bracket]);
        harness.Block(2, 1_000);
        List<ManagementEvent> sl = harness.Block(3, 900);   // the stop-loss triggers first and offers all 6
        harness.Block(4, 1_000);
        List<ManagementEvent> tp = harness.Block(5, 1_200); // the take-profit triggers too: both now released each batch
        ManagementEvent[] released = [.. tp.OfKind(ManagementEventKind.Released)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sl.OfKind(ManagementEventKind.Released).Single().Quantity, Is.EqualTo(6));
            Assert.That(released.Select(e => (e.Role, e.Quantity)), Is.EqualTo(new[] { (LegRole.StopLoss, 6L) }));
        }
    }

    [Test]
    public void ABracketWhoseEntryExpiresUnfilledExpiresWhole()
    {
        var harness = new ManagerHarness();
        var bracket = Bracket(1, InstructionLeg.Limit(Side.Buy, 1_000, 6), takeProfit: 1_200, stopLoss: 900, expiry: 2);
        for (long block = 1; block <= 3; block++)
        {
            harness.Block(block, 1_000, block == 1 ? [bracket] : null);
        }

        ManagementEvent expired = harness.Events.OfKind(ManagementEventKind.Expired).Single();
        Assert.That((expired.Block, expired.Role, harness.Manager.LiveInstructions), Is.EqualTo((3L, LegRole.Whole, 0)));
    }

    [Test]
    public void ABracketWhoseEntryExpiresPartlyFilledKeepsItsExitsForThePosition()
    {
        var harness = new ManagerHarness { FillRule = static (block, order) => order.Role == LegRole.Entry && block == 2 ? 2 : 0 };
        var bracket = Bracket(1, InstructionLeg.Limit(Side.Buy, 1_000, 6), takeProfit: 1_200, stopLoss: 900, expiry: 2);
        for (long block = 1; block <= 4; block++)
        {
            harness.Block(block, 1_000, block == 1 ? [bracket] : null);
        }

        List<ManagementEvent> triggered = harness.Block(5, 1_250);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(harness.Events.OfKind(ManagementEventKind.Expired).Single().Role, Is.EqualTo(LegRole.Entry));
            Assert.That(triggered.OfKind(ManagementEventKind.Released).Single().Quantity, Is.EqualTo(2));
        }
    }

    [Test]
    public void ATradersLiveInstructionsAreCapped()
    {
        var harness = new ManagerHarness(maxPerTrader: 2);
        List<ManagementEvent> events = harness.Block(1, null, [Limit(1, Side.Buy, 10, 1, nonce: 1), Limit(1, Side.Buy, 10, 1, nonce: 2), Limit(1, Side.Buy, 10, 1, nonce: 3), Limit(2, Side.Buy, 10, 1)]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.OfKind(ManagementEventKind.Rejected).Single().Reason, Is.EqualTo(InstructionRejectReason.TooManyInstructions));
            Assert.That(events.OfKind(ManagementEventKind.Accepted).Count(), Is.EqualTo(3));
        }
    }

    [Test]
    public void ReleasesBeyondATradersPerBatchLimitWaitInAscendingIdOrder()
    {
        var harness = new ManagerHarness(maxReleasesPerTrader: 2);
        Instruction[] limits = [.. Enumerable.Range(1, 4).Select(n => Limit(1, Side.Buy, 10, 1, nonce: n))];
        List<ManagementEvent> events = harness.Block(1, null, limits);
        var ids = limits.Select(IdOf).Order().ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.OfKind(ManagementEventKind.Released).Select(e => e.Instruction), Is.EqualTo(ids.Take(2)));
            Assert.That(events.OfKind(ManagementEventKind.Throttled).Select(e => e.Instruction), Is.EqualTo(ids.Skip(2)));
        }
    }

    [Test]
    public void InvalidFieldsAreRejectedWithTheirReason()
    {
        var harness = new ManagerHarness();
        (Instruction Instruction, InstructionRejectReason Reason)[] cases =
        [
            (Stop(1, Side.Sell, StopKind.StopLoss, 1_000, 0), InstructionRejectReason.InvalidQuantity),
            (Stop(1, Side.Sell, StopKind.StopLoss, 0, 1), InstructionRejectReason.InvalidPrice),
            (Stop(1, Side.Sell, StopKind.StopLoss, MaxPrice + 1, 1), InstructionRejectReason.InvalidPrice),
            (Stop(1, Side.Sell, StopKind.StopLoss, 1_000, 1, slippage: 10_001), InstructionRejectReason.InvalidBasisPoints),
            (Trailing(1, Side.Sell, StopKind.StopLoss, 0, 1), InstructionRejectReason.InvalidBasisPoints),
            (Trailing(1, Side.Sell, StopKind.StopLoss, 10_000, 1), InstructionRejectReason.InvalidBasisPoints),
            (Limit(1, Side.Sell, 1_000, 5, display: 6), InstructionRejectReason.InvalidQuantity),
            (Twap(1, Side.Buy, 10, parts: 1, blocksPerPart: 1), InstructionRejectReason.InvalidSchedule),
            (Twap(1, Side.Buy, 10, parts: 2, blocksPerPart: 0), InstructionRejectReason.InvalidSchedule),
            (Stop(1, (Side)3, StopKind.StopLoss, 1_000, 1), InstructionRejectReason.InvalidType),
            (Stop(1, Side.Sell, StopKind.StopLoss, 1_000, 1) with { Market = Build.Trader(9) }, InstructionRejectReason.WrongMarket),
            (Bracket(1, InstructionLeg.Limit(Side.Buy, 1_000, 6), 1_200, 900) with { Second = InstructionLeg.Stop(Side.Buy, StopKind.TakeProfit, 1_200, 6) }, InstructionRejectReason.InvalidLegs),
        ];
        List<ManagementEvent> events = harness.Block(1, null, cases.Select(c => c.Instruction));
        var byId = events.OfKind(ManagementEventKind.Rejected).ToDictionary(e => e.Instruction);
        Assert.That(cases.Select(c => byId[IdOf(c.Instruction)].Reason), Is.EqualTo(cases.Select(c => c.Reason)));
    }

    [Test]
    public void TheFillsOfABatchMustMatchItsReleasedOrders()
    {
        var harness = new ManagerHarness();
        harness.Block(1, null, [Limit(1, Side.Sell, 1_000, 5)]);
        Assert.Throws<ArgumentException>(() => harness.Manager.ApplyFills(2, 2, new Fill[2], null));
    }

    [Test]
    public void AFillLargerThanItsOrderIsRefusedAndChangesNothing()
    {
        var harness = new ManagerHarness();
        harness.Block(1, null, [Limit(1, Side.Sell, 1_000, 5), Limit(2, Side.Sell, 1_000, 5)]);
        Fill[] fills = [new Fill(5, 5_000, RejectReason.None), new Fill(6, 6_000, RejectReason.None)];
        Assert.Throws<ArgumentException>(() => harness.Manager.ApplyFills(2, 2, fills, 1_000));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(harness.Manager.ReleasedOrders(2).Length, Is.EqualTo(2));
            Assert.That(harness.Manager.Events.IsEmpty);
        }
    }

    [Test]
    public void ReleasedOrdersCarryTheDocumentedIdsAndPriorityKeys()
    {
        var harness = new ManagerHarness();
        var limit = Limit(1, Side.Sell, 1_000, 5);
        harness.Block(1, null, [limit]);
        harness.Block(2, null);
        ManagedOrder second = harness.Manager.ReleasedOrders(3)[0];
        byte[] id = IdOf(limit).ToArray();
        byte[] randomness = Randomness(3).ToArray();
        ulong mix = SplitMix64(1);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((second.ReleaseSequence, second.Batch, second.Kind, second.Role), Is.EqualTo((1L, 3L, InstructionKind.Limit, LegRole.Whole)));
            Assert.That(second.Order.Id, Is.EqualTo(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(id) ^ mix));
            Assert.That(second.Order.PriorityKey, Is.EqualTo(
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(id.AsSpan(8)) ^ mix ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(randomness)));
            Assert.That(ManagedOrder.PriorityKey(second.Instruction, second.ReleaseSequence, Randomness(3)), Is.EqualTo(second.Order.PriorityKey));
        }
    }

    private static ulong SplitMix64(ulong sequence)
    {
        ulong z = sequence + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [Test]
    public void TheManagerOnlyMovesForward()
    {
        var harness = new ManagerHarness();
        harness.Block(5, null);
        Assert.Throws<ArgumentOutOfRangeException>(() => harness.Manager.Evaluate(5, null, default));
    }
}
