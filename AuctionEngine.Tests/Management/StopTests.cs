using AuctionEngine.Management;
using AuctionEngine.Orders;
using NUnit.Framework;
using static AuctionEngine.Tests.Management.ManagerHarness;

namespace AuctionEngine.Tests.Management;

/// <summary>Stops, trailing stops and the oracle's age: each trigger direction at its exact, inclusive boundary.</summary>
[TestFixture]
public sealed class StopTests
{
    // (side, kind, whether it triggers on a fall to the trigger)
    private static readonly object[] Directions =
    [
        new object[] { Side.Sell, StopKind.StopLoss, true },
        new object[] { Side.Buy, StopKind.TakeProfit, true },
        new object[] { Side.Buy, StopKind.StopLoss, false },
        new object[] { Side.Sell, StopKind.TakeProfit, false },
    ];

    [TestCaseSource(nameof(Directions))]
    public void AStopTriggersExactlyAtItsTriggerPriceAndNotOneTickShort(Side side, StopKind kind, bool falling)
    {
        const long trigger = 1_000;
        long oneShort = falling ? trigger + 1 : trigger - 1;
        var harness = new ManagerHarness();
        var stop = Stop(1, side, kind, trigger, 5, limit: 1_000);
        List<ManagementEvent> short1 = harness.Block(1, oneShort, [stop]);
        List<ManagementEvent> atTrigger = harness.Block(2, trigger);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(short1.OfKind(ManagementEventKind.Triggered), Is.Empty, "one tick short");
            Assert.That(atTrigger.OfKind(ManagementEventKind.Triggered).Single().Price, Is.EqualTo(trigger));
            ManagementEvent released = atTrigger.OfKind(ManagementEventKind.Released).Single();
            Assert.That((released.Side, released.Price, released.Quantity, released.Batch), Is.EqualTo((side, 1_000L, 5L, 3L)));
        }
    }

    [TestCaseSource(nameof(Directions))]
    public void AStopAlreadyPastItsTriggerOnArrivalTriggersInItsFirstBlock(Side side, StopKind kind, bool falling)
    {
        var harness = new ManagerHarness();
        List<ManagementEvent> events = harness.Block(1, falling ? 900 : 1_100, [Stop(1, side, kind, 1_000, 5)]);
        Assert.That(events.OfKind(ManagementEventKind.Triggered).Count(), Is.EqualTo(1));
    }

    [TestCase(Side.Buy, 1_001, 1_000, 1_102)]   // ceil(1001 * 1.1) = ceil(1101.1)
    [TestCase(Side.Sell, 1_001, 1_000, 900)]    // floor(1001 * 0.9) = floor(900.9)
    [TestCase(Side.Buy, 1_000, 0, 1_000)]
    [TestCase(Side.Sell, 1_000, 10_000, 1)]     // never below one tick
    [TestCase(Side.Buy, 999_999_999, 10_000, MaxPrice)] // never above the market's maximum
    public void TheMarketVariantsLimitIsTheOracleMovedAgainstTheTraderAndRoundedAgainstIt(Side side, long oracle, int slippage, long expected)
    {
        var harness = new ManagerHarness();
        StopKind kind = side == Side.Buy ? StopKind.StopLoss : StopKind.StopLoss;
        long trigger = side == Side.Buy ? 1 : MaxPrice;
        List<ManagementEvent> events = harness.Block(1, oracle, [Stop(1, side, kind, trigger, 3, slippage: slippage)]);
        Assert.That(events.OfKind(ManagementEventKind.Released).Single().Price, Is.EqualTo(expected));
    }

    [Test]
    public void ATriggeredStopKeepsReleasingItsRemainderAtTheSameLimitUntilFilled()
    {
        var harness = new ManagerHarness { FillRule = static (block, order) => block == 3 ? 4 : block == 4 ? order.Order.Quantity : 0 };
        var stop = Stop(1, Side.Sell, StopKind.StopLoss, 1_000, 10);
        harness.Block(1, 1_000, [stop]);
        harness.Block(2, 500);   // batch 2 fills nothing; released again at the trigger's limit
        harness.Block(3, 2_000); // batch 3 fills 4
        harness.Block(4, null);  // batch 4 fills the remaining 6, with no oracle at all
        ManagementEvent[] released = [.. harness.Events.OfKind(ManagementEventKind.Released)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(released.Select(e => e.Price).Distinct().Single(), Is.EqualTo(900L));
            Assert.That(string.Join(",", released.Select(e => e.Quantity)), Is.EqualTo("10,10,6"));
            Assert.That(harness.Events.OfKind(ManagementEventKind.Completed).Single().Quantity, Is.EqualTo(10));
            Assert.That(harness.Manager.LiveInstructions, Is.Zero);
        }
    }

    [TestCase(3, true)]
    [TestCase(4, false)]
    public void AnObservationIsUsableUpToMaxAgeBlocksAfterItsPublication(int age, bool usable)
    {
        var harness = new ManagerHarness(maxOracleAge: 3);
        var stop = Stop(1, Side.Sell, StopKind.StopLoss, 1_000, 1);
        harness.Block(1, null, [stop]);
        List<ManagementEvent> events = harness.Block(10, 900, publishedBlock: 10 - age);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.OfKind(ManagementEventKind.Triggered).Any(), Is.EqualTo(usable));
            Assert.That(string.Join(",", events.OfKind(ManagementEventKind.Stale).Select(e => e.OracleBlock)), Is.EqualTo(usable ? "" : $"{10 - age}"));
        }
    }

    [Test]
    public void ABlockWithNoObservationUsesTheLastOneWhileItIsFreshAndReportsStaleWithNoneAtAll()
    {
        var harness = new ManagerHarness(maxOracleAge: 1);
        List<ManagementEvent> first = harness.Block(1, null, [Stop(1, Side.Sell, StopKind.StopLoss, 1_000, 1)]);
        harness.Block(2, 1_500);
        List<ManagementEvent> fresh = harness.Block(3, null);
        List<ManagementEvent> stale = harness.Block(4, null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.OfKind(ManagementEventKind.Stale).Single().OracleBlock, Is.EqualTo(-1));
            Assert.That(fresh.OfKind(ManagementEventKind.Stale), Is.Empty);
            Assert.That(stale.OfKind(ManagementEventKind.Stale).Single().OracleBlock, Is.EqualTo(2));
        }
    }

    [Test]
    public void AnObservationFromALaterBlockIsNotUsable()
    {
        var harness = new ManagerHarness();
        List<ManagementEvent> events = harness.Block(5, 900, [Stop(1, Side.Sell, StopKind.StopLoss, 1_000, 1)], publishedBlock: 6);
        Assert.That(events.OfKind(ManagementEventKind.Triggered), Is.Empty);
    }

    // A sell trails the highest oracle: with extreme 1001 and 100 bps it triggers when oracle * 10000 <= 1001 * 9900,
    // that is at 990 and not at 991. A buy trails the lowest: with extreme 999 it triggers when
    // oracle * 10000 >= 999 * 10100, that is at 1009 (1008.99 rounded up) and not at 1008.
    [TestCase(Side.Sell, 1_001, 991, false)]
    [TestCase(Side.Sell, 1_001, 990, true)]
    [TestCase(Side.Buy, 999, 1_008, false)]
    [TestCase(Side.Buy, 999, 1_009, true)]
    public void ATrailingStopTriggersAtTheExactIntegerRetraceFromItsExtreme(Side side, long extreme, long oracle, bool triggers)
    {
        var harness = new ManagerHarness();
        harness.Block(1, 1_000, [Trailing(1, side, StopKind.StopLoss, 100, 2)]);
        harness.Block(2, extreme);
        List<ManagementEvent> events = harness.Block(3, oracle);
        Assert.That(events.OfKind(ManagementEventKind.Triggered).Any(), Is.EqualTo(triggers));
    }

    [Test]
    public void ATrailingSellFollowsNewHighsAndTriggersOnlyOnARetraceFromTheHighest()
    {
        var harness = new ManagerHarness();
        harness.Block(1, 1_000, [Trailing(1, Side.Sell, StopKind.StopLoss, 1_000, 2, limit: 1)]);
        harness.Block(2, 1_200);
        harness.Block(3, 1_081); // 1081 * 10000 > 1200 * 9000 = 10,800,000
        List<ManagementEvent> last = harness.Block(4, 1_080);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(harness.Events.OfKind(ManagementEventKind.Activated).Single().Price, Is.EqualTo(1_000));
            Assert.That(harness.Events.OfKind(ManagementEventKind.Triggered).Single().Block, Is.EqualTo(4));
            Assert.That(last.OfKind(ManagementEventKind.Released).Single().Price, Is.EqualTo(1));
        }
    }

    // A stop-loss sell or take-profit buy activates when the oracle is at or below its activation price;
    // a stop-loss buy or take-profit sell when at or above.
    [TestCaseSource(nameof(Directions))]
    public void ATrailingStopActivatesExactlyAtItsActivationPrice(Side side, StopKind kind, bool falling)
    {
        var harness = new ManagerHarness();
        var trailing = Trailing(1, side, kind, 500, 1, activation: 1_000);
        List<ManagementEvent> before = harness.Block(1, falling ? 1_001 : 999, [trailing]);
        List<ManagementEvent> events = harness.Block(2, 1_000);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.OfKind(ManagementEventKind.Activated), Is.Empty);
            Assert.That(events.OfKind(ManagementEventKind.Activated).Single().Price, Is.EqualTo(1_000));
            Assert.That(events.OfKind(ManagementEventKind.Triggered), Is.Empty, "the activating observation only sets the extreme");
        }
    }

    [Test]
    public void AStaleOracleFreezesTriggersButNotTheReleasesOfATriggeredStop()
    {
        var harness = new ManagerHarness(maxOracleAge: 0);
        var triggered = Stop(1, Side.Sell, StopKind.StopLoss, 1_000, 3, limit: 950);
        var waiting = Stop(2, Side.Sell, StopKind.StopLoss, 800, 3);
        harness.Block(1, 1_000, [triggered, waiting]);
        List<ManagementEvent> stale = harness.Block(2, 700, publishedBlock: 1);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stale.OfKind(ManagementEventKind.Stale).Count(), Is.EqualTo(1));
            Assert.That(stale.OfKind(ManagementEventKind.Triggered), Is.Empty);
            Assert.That(stale.OfKind(ManagementEventKind.Released).For(triggered).Single().Price, Is.EqualTo(950));
        }
    }
}
