using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using NUnit.Framework;
using static AuctionEngine.Tests.Management.ManagerHarness;

namespace AuctionEngine.Tests.Management;

/// <summary>
/// Delta hedges and quotes in the manager: when and what they release, at every cut-off of their bands, limits and
/// positions; what stops them (a stale oracle, an unknown exposure, an order still waiting, the rate limits); how they
/// end; and what a hostile trader can and cannot make them do.
/// </summary>
[TestFixture]
public sealed class HedgeQuoteTests
{
    private const long Oracle = 10_000;

    [Test]
    public void AHedgeReleasesExactlyWhenTheDeltaIsStrictlyBeyondItsBand([Values(0, 1, 7)] long band, [Values(0, -40, 1_000_000)] long target)
    {
        using (Assert.EnterMultipleScope())
        {
            for (long deviation = -band - 3; deviation <= band + 3; deviation++)
            {
                ManagementEvent[] released = HedgeBlock(Hedge(1, target, band, maxQuantity: 100), target + deviation);
                if (Math.Abs(deviation) <= band)
                {
                    Assert.That(released, Is.Empty, $"|{deviation}| <= band {band}");
                    continue;
                }

                Assert.That(released, Has.Length.EqualTo(1), $"|{deviation}| > band {band}");
                Assert.That(released[0].Side, Is.EqualTo(deviation > 0 ? Side.Sell : Side.Buy), "back towards the target");
                Assert.That(released[0].Quantity, Is.EqualTo(Math.Abs(deviation)), "sized to return to the target");
                Assert.That(released[0].Role, Is.EqualTo(LegRole.Hedge));
            }
        }
    }

    [Test]
    public void AHedgesSizeIsCutAtItsMaximumQuantity([Values(1, 9, 10, 11, 1_000_000_000)] long maxQuantity)
    {
        ManagementEvent[] released = HedgeBlock(Hedge(1, 0, 0, maxQuantity), -10);
        Assert.That(released.Single().Quantity, Is.EqualTo(Math.Min(10, maxQuantity)));
    }

    [Test]
    public void AHedgeAtTheExtremesOfLongNeitherOverflowsNorMisjudgesItsSide()
    {
        using (Assert.EnterMultipleScope())
        {
            ManagementEvent sell = HedgeBlock(Hedge(1, long.MinValue, 0, 1_000_000_000), long.MaxValue).Single();
            Assert.That((sell.Side, sell.Quantity), Is.EqualTo((Side.Sell, 1_000_000_000L)));
            ManagementEvent buy = HedgeBlock(Hedge(1, long.MaxValue, 0, 5), long.MinValue).Single();
            Assert.That((buy.Side, buy.Quantity), Is.EqualTo((Side.Buy, 5L)));
            Assert.That(HedgeBlock(Hedge(1, long.MaxValue, long.MaxValue, 5), 0), Is.Empty, "a deviation of 2^63 - 1 is the band");
            Assert.That(HedgeBlock(Hedge(1, long.MaxValue, long.MaxValue, 5), -1).Single().Quantity, Is.EqualTo(5), "one of 2^63 is beyond it");
        }
    }

    [Test]
    public void AHedgesLimitIsTheTwapToleranceRule([Values(0, 1, 100, 9_999, 10_000)] int tolerance, [Values(1, 3, 9_999, MaxPrice - 1, MaxPrice)] long oracle)
    {
        using (Assert.EnterMultipleScope())
        {
            foreach ((long delta, Side side) in new[] { (5L, Side.Sell), (-5L, Side.Buy) })
            {
                ManagementEvent released = HedgeBlock(Hedge(1, 0, 0, 100, tolerance), delta, oracle).Single();
                Assert.That(released.Price, Is.EqualTo(Against(side, oracle, tolerance)), $"{side} at {oracle} with {tolerance} bps");

                // A TWAP part on the same side at the same oracle and tolerance gets the same limit.
                var twap = new ManagerHarness();
                ManagementEvent part = twap.Block(1, oracle, [Twap(1, side, 10, 2, 1, start: 1, tolerance: tolerance)]).Single(e => e.Kind == ManagementEventKind.Released);
                Assert.That(released.Price, Is.EqualTo(part.Price));
            }
        }
    }

    [Test]
    public void AHedgeReleasesNoSecondOrderWhileItsFirstWaitsInAnUnclearedBatch()
    {
        var harness = new ManagerHarness();
        OrderManager manager = harness.Manager;
        Instruction hedge = Hedge(1, 0, 0, 100);
        manager.SubmitVerified(1, [], [hedge]);
        manager.UpdateExposure(1, Trader(1), -30, 0);
        manager.Evaluate(1, new OracleObservation(Oracle, 1), Randomness(2));
        Assert.That(manager.ReleasedOrders(2).Length, Is.EqualTo(1));

        // Batch 2 is interrupted: nothing is applied; the delta moves further but the hedge waits.
        manager.UpdateExposure(2, Trader(1), -60, 0);
        manager.Evaluate(2, new OracleObservation(Oracle, 2), Randomness(3));
        Assert.That(manager.ReleasedOrders(3).Length, Is.Zero);

        // Batch 2 clears in block 3 (20 of 30 filled): the next evaluation hedges what is left.
        manager.ApplyFills(3, 2, [new Fill(20, 20 * Oracle, RejectReason.None)], Oracle);
        manager.UpdateExposure(3, Trader(1), -40, 0);
        manager.Evaluate(3, new OracleObservation(Oracle, 3), Randomness(4));
        ManagedOrder next = manager.ReleasedOrders(4).ToArray().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((next.Order.Side, next.Order.Quantity, next.Role, next.Kind), Is.EqualTo((Side.Buy, 40L, LegRole.Hedge, InstructionKind.DeltaHedge)));
            Assert.That(manager.IsLive(IdOf(hedge)), "a hedge never completes");
        }
    }

    [Test]
    public void AQuotePostsABidAndAnAskAroundTheOracleEveryBatchAndNeverCompletes()
    {
        var harness = new ManagerHarness { FillRule = static (_, order) => order.Order.Quantity };
        harness.AfterFills = static (block, manager) => manager.UpdateExposure(block, Trader(1), 0, 0);
        Instruction quote = Quote(1, quantity: 4, halfSpreadBps: 150, minHalfSpread: 200);
        harness.Block(1, Oracle, [quote]);
        for (long block = 2; block <= 4; block++)
        {
            harness.Block(block, Oracle + block);
        }

        ManagementEvent[] released = [.. harness.Events.OfKind(ManagementEventKind.Released)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(released.Select(e => (e.Block, e.Role, e.Side, e.Price, e.Quantity)), Is.EqualTo(new[]
            {
                (1L, LegRole.Bid, Side.Buy, Oracle - 200, 4L), (1L, LegRole.Ask, Side.Sell, Oracle + 200, 4L),
                (2L, LegRole.Bid, Side.Buy, Oracle + 2 - 200, 4L), (2L, LegRole.Ask, Side.Sell, Oracle + 2 + 200, 4L),
                (3L, LegRole.Bid, Side.Buy, Oracle + 3 - 200, 4L), (3L, LegRole.Ask, Side.Sell, Oracle + 3 + 200, 4L),
                (4L, LegRole.Bid, Side.Buy, Oracle + 4 - 200, 4L), (4L, LegRole.Ask, Side.Sell, Oracle + 4 + 200, 4L),
            }), "max(200, ceil(F x 150 / 10^4)) = 200 at F around 10,000");
            Assert.That(harness.Events.OfKind(ManagementEventKind.Fill).Count(), Is.EqualTo(6), "each pair of batches 2..4 filled in full");
            Assert.That(harness.Events.OfKind(ManagementEventKind.Completed), Is.Empty);
            Assert.That(harness.Manager.IsLive(IdOf(quote)));
        }
    }

    [Test]
    public void AQuotesBidIsSkippedBelowOneTickAndItsAskAboveTheMaximumPrice()
    {
        using (Assert.EnterMultipleScope())
        {
            // h = minHalfSpread: bid F - h >= 1 iff h <= F - 1; ask F + h <= MaxPrice iff h <= MaxPrice - F.
            foreach (long h in new[] { Oracle - 2, Oracle - 1, Oracle, Oracle + 1 })
            {
                LegRole[] roles = [.. QuoteBlock(Quote(1, 1, halfSpreadBps: 0, minHalfSpread: h), 0, 0).Select(e => e.Role)];
                Assert.That(roles.Contains(LegRole.Bid), Is.EqualTo(h <= Oracle - 1), $"bid at h = {h}");
                Assert.That(roles.Contains(LegRole.Ask), "the ask fits");
            }

            long high = MaxPrice - 100;
            foreach (long h in new[] { 98L, 99, 100, 101, 102 })
            {
                ManagementEvent[] released = QuoteBlock(Quote(1, 1, halfSpreadBps: 0, minHalfSpread: h), 0, 0, oracle: high);
                Assert.That(released.Any(e => e.Role == LegRole.Ask), Is.EqualTo(h <= 100), $"ask at h = {h}");
                Assert.That(released.Single(e => e.Role == LegRole.Bid).Price, Is.EqualTo(high - h));
            }
        }
    }

    [Test]
    public void AQuoteWidensWithVegaAndDeltaAndRoundsUp()
    {
        // F = 10,000; base ceil(10,000 x 7 / 10^4) = 7; vega 3 per unit 2 at 5 bps and delta -7 per unit 3 at 11 bps:
        // ceil(10,000 x (5 x 3 x 3 + 11 x 7 x 2) / (10^4 x 2 x 3)) = ceil(199 / 6) = 34.
        ManagementEvent[] released = QuoteBlock(Quote(1, 2, halfSpreadBps: 7, vegaBps: 5, vegaUnit: 2, deltaBps: 11, deltaUnit: 3), delta: -7, vega: 3);
        Assert.That(released.Select(e => e.Price), Is.EqualTo(new[] { Oracle - 41, Oracle + 41 }));
    }

    [Test]
    public void AQuoteRespectsItsMaximumPositionAtEveryCutOff([Values(0, 1, 5)] long maxPosition)
    {
        using (Assert.EnterMultipleScope())
        {
            for (long position = -maxPosition - 2; position <= maxPosition + 2; position++)
            {
                LegRole[] roles = [.. QuoteBlock(Quote(1, 1, maxPosition: maxPosition), 0, 0, position: position).Select(e => e.Role)];
                bool bid = maxPosition == 0 || position < maxPosition;
                bool ask = maxPosition == 0 || position > -maxPosition;
                Assert.That(roles, Is.EqualTo((bid ? new[] { LegRole.Bid } : []).Concat(ask ? [LegRole.Ask] : [])), $"position {position}, max {maxPosition}");
            }

            Assert.That(QuoteBlock(Quote(1, 1, maxPosition: 1), 0, 0).Length, Is.EqualTo(2), "an unknown position limits nothing");
        }
    }

    [Test]
    public void AStaleOracleOrAnUnknownExposureReleasesNothing()
    {
        var harness = new ManagerHarness();
        Instruction hedge = Hedge(1, 0, 0, 10);
        Instruction quote = Quote(2, 1);
        harness.AfterFills = static (block, manager) => manager.UpdateExposure(block, Trader(3), 50, 50); // someone else's
        List<ManagementEvent> unknown = harness.Block(1, Oracle, [hedge, quote]);
        harness.AfterFills = static (block, manager) =>
        {
            manager.UpdateExposure(block, Trader(1), 50, 0);
            manager.UpdateExposure(block, Trader(2), 0, 0);
        };
        List<ManagementEvent> stale = harness.Block(5, null);
        List<ManagementEvent> fresh = harness.Block(6, Oracle);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(unknown.Select(e => e.Kind), Is.EqualTo(new[] { ManagementEventKind.Accepted, ManagementEventKind.Accepted }));
            Assert.That(stale.Select(e => e.Kind), Is.EqualTo(new[] { ManagementEventKind.Stale }), "the observation of block 1 is 4 blocks old");
            Assert.That(fresh.OfKind(ManagementEventKind.Released).Count(), Is.EqualTo(3));
            Assert.That(harness.Manager.GetExposure(Trader(1)), Is.EqualTo(((long, long)?)(50L, 0L)));
            Assert.That(harness.Manager.GetExposure(Trader(4)), Is.Null);
        }
    }

    [Test]
    public void AQuotesPairWaitingInAnInterruptedBatchHoldsBackTheNextPair()
    {
        var harness = new ManagerHarness();
        OrderManager manager = harness.Manager;
        manager.SubmitVerified(1, [], [Quote(1, 3)]);
        manager.UpdateExposure(1, Trader(1), 0, 0);
        manager.Evaluate(1, new OracleObservation(Oracle, 1), Randomness(2));
        manager.Evaluate(2, new OracleObservation(Oracle, 2), Randomness(3)); // batch 2 interrupted
        int waiting = manager.ReleasedOrders(3).Length;
        manager.ApplyFills(3, 2, [default, new Fill(1, Oracle, RejectReason.None)], Oracle);
        manager.Evaluate(3, new OracleObservation(Oracle, 3), Randomness(4));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(waiting, Is.Zero);
            Assert.That(manager.ReleasedOrders(4).ToArray().Select(o => (o.Role, o.Order.Quantity)), Is.EqualTo(new[] { (LegRole.Bid, 3L), (LegRole.Ask, 3L) }),
                "a fresh pair of the full quantity once the last one is done");
        }
    }

    [Test]
    public void RateLimitsCapAHostileTradersQuotesAndHedges()
    {
        var harness = new ManagerHarness(maxReleasesPerBatch: 5, maxPerTrader: 10, maxReleasesPerTrader: 3);
        harness.AfterFills = static (block, manager) =>
        {
            manager.UpdateExposure(block, Trader(1), long.MaxValue, long.MinValue);
            manager.UpdateExposure(block, Trader(2), 9, 0);
        };
        Instruction[] hostile = [.. Enumerable.Range(0, 6).Select(n => Quote(1, 1_000, nonce: n)), .. Enumerable.Range(0, 4).Select(n => Hedge(1, 0, 0, 5, nonce: n))];
        Instruction[] other = [.. Enumerable.Range(0, 5).Select(n => Hedge(2, 0, 0, 5, nonce: n))];
        var traders = hostile.Select(IdOf).ToDictionary(id => id, _ => 1);
        foreach (Instruction instruction in other)
        {
            traders[IdOf(instruction)] = 2;
        }

        List<ManagementEvent> first = harness.Block(1, Oracle, [.. hostile, Quote(1, 1, nonce: 99), .. other]);
        List<ManagementEvent> second = harness.Block(2, Oracle);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.OfKind(ManagementEventKind.Rejected).Single().Reason, Is.EqualTo(InstructionRejectReason.TooManyInstructions));
            foreach (List<ManagementEvent> block in new[] { first, second })
            {
                int[] released = [.. block.OfKind(ManagementEventKind.Released).Select(e => traders[e.Instruction])];
                Assert.That(released.Count(t => t == 1), Is.InRange(2, 3), "the per-trader limit (the manager's 5 leave the other at least 2)");
                Assert.That(released.Count(t => t == 2), Is.InRange(2, 3));
                Assert.That(released, Has.Length.EqualTo(5), "the manager's limit");
                Assert.That(block.OfKind(ManagementEventKind.Throttled).Count(), Is.EqualTo((6 * 2) + 4 + 5 - 5), "every other candidate is throttled, none lost silently");
            }
        }
    }

    [Test]
    public void SubmitRefusesMalformedHedgesAndQuotesWithTheirReason()
    {
        var harness = new ManagerHarness();
        (Instruction Instruction, InstructionRejectReason Reason)[] cases =
        [
            (Hedge(1, 0, 0, 0), InstructionRejectReason.InvalidQuantity),
            (Hedge(1, 0, 0, Market.MaxOrderQuantity + 1), InstructionRejectReason.InvalidQuantity),
            (Hedge(1, 0, 0, 1) with { Band = -1 }, InstructionRejectReason.InvalidQuantity),
            (Hedge(1, 0, 0, 1, tolerance: 10_001), InstructionRejectReason.InvalidBasisPoints),
            (Hedge(1, 0, 0, 1) with { ToleranceBps = -1 }, InstructionRejectReason.InvalidBasisPoints),
            (Quote(1, 0), InstructionRejectReason.InvalidQuantity),
            (Quote(1, Market.MaxOrderQuantity + 1), InstructionRejectReason.InvalidQuantity),
            (Quote(1, 1) with { MaxPosition = -1 }, InstructionRejectReason.InvalidQuantity),
            (Quote(1, 1, minHalfSpread: MaxPrice + 1), InstructionRejectReason.InvalidPrice),
            (Quote(1, 1) with { HalfSpreadBps = 65_536 }, InstructionRejectReason.InvalidBasisPoints),
            (Quote(1, 1) with { VegaSpreadBps = -1 }, InstructionRejectReason.InvalidBasisPoints),
            (Quote(1, 1) with { DeltaSpreadBps = 70_000 }, InstructionRejectReason.InvalidBasisPoints),
            (Quote(1, 1, vegaUnit: 0), InstructionRejectReason.InvalidExposureUnit),
            (Quote(1, 1, deltaUnit: 0), InstructionRejectReason.InvalidExposureUnit),
            (Quote(1, 1) with { Market = Trader(9) }, InstructionRejectReason.WrongMarket),
            (Hedge(1, 0, 0, 1, expiry: 1), InstructionRejectReason.ExpiredOnArrival),
        ];
        List<ManagementEvent> events = harness.Block(2, Oracle, cases.Select(c => c.Instruction));
        var reasons = events.OfKind(ManagementEventKind.Rejected).ToDictionary(e => e.Instruction, e => e.Reason);
        using (Assert.EnterMultipleScope())
        {
            foreach ((Instruction instruction, InstructionRejectReason reason) in cases)
            {
                Assert.That(reasons[IdOf(instruction)], Is.EqualTo(reason), instruction.ToString());
            }

            Assert.That(harness.Manager.LiveInstructions, Is.Zero);
            Assert.That(harness.Block(3, Oracle, [Hedge(1, 0, 0, Market.MaxOrderQuantity, tolerance: 10_000), Quote(1, 1, 65_535, MaxPrice, 65_535, 1, 65_535, 1, long.MaxValue)])
                .OfKind(ManagementEventKind.Accepted).Count(), Is.EqualTo(2), "every bound itself is accepted");
        }
    }

    [Test]
    public void ExpiryAndCancellationEndHedgesAndQuotesAndWithdrawTheirWaitingOrders()
    {
        var harness = new ManagerHarness();
        harness.AfterFills = static (block, manager) => manager.UpdateExposure(block, Trader(1), 3, 0);
        Instruction quote = Quote(1, 2, expiry: 2);
        Instruction hedge = Hedge(1, 0, 0, 5);
        harness.Block(1, Oracle, [quote, hedge]);
        List<ManagementEvent> second = harness.Block(2, Oracle);
        List<ManagementEvent> third = harness.Block(3, Oracle);
        OrderManager manager = harness.Manager;
        manager.SubmitVerified(4, [Cancel(1, hedge)], []);
        List<ManagementEvent> cancelled = harness.Flush();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.OfKind(ManagementEventKind.Released).Count(), Is.EqualTo(3), "a quote may release in its expiry block");
            Assert.That(third.For(quote).Select(e => e.Kind), Is.EqualTo(new[] { ManagementEventKind.Expired }));
            Assert.That(cancelled.Select(e => (e.Kind, e.Role)), Is.EqualTo(new[] { (ManagementEventKind.Withdrawn, LegRole.Hedge), (ManagementEventKind.Cancelled, LegRole.Whole) }));
            Assert.That(manager.LiveInstructions, Is.Zero);
            Assert.That(manager.PendingOrders.Length, Is.Zero);
        }
    }

    private static ManagementEvent[] HedgeBlock(Instruction hedge, long delta, long oracle = Oracle)
    {
        var harness = new ManagerHarness();
        harness.AfterFills = (block, manager) => manager.UpdateExposure(block, hedge.Trader, delta, 0);
        return [.. harness.Block(1, oracle, [hedge]).OfKind(ManagementEventKind.Released)];
    }

    private static ManagementEvent[] QuoteBlock(Instruction quote, long delta, long vega, long? position = null, long oracle = Oracle)
    {
        var harness = new ManagerHarness();
        harness.AfterFills = (block, manager) =>
        {
            manager.UpdateExposure(block, quote.Trader, delta, vega);
            if (position is { } p)
            {
                manager.UpdatePosition(block, quote.Trader, p);
            }
        };
        return [.. harness.Block(1, oracle, [quote]).OfKind(ManagementEventKind.Released)];
    }

    /// <summary>The oracle moved against the trader, computed apart from the manager: buy up (ceiling, at most the maximum), sell down (floor, at least 1).</summary>
    internal static long Against(Side side, long oracle, int bps) => side == Side.Buy
        ? (long)Int128.Min(((Int128)oracle * (10_000 + bps) + 9_999) / 10_000, MaxPrice)
        : (long)Int128.Max((Int128)oracle * (10_000 - bps) / 10_000, 1);
}
