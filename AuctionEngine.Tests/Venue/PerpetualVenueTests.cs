using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Management;
using AuctionEngine.Venue;
using NUnit.Framework;

namespace AuctionEngine.Tests.Venue;

[TestFixture]
public sealed class PerpetualVenueTests
{
    private const int Trader = 1;
    private const int Dealer = 2;
    private const int Other = 3;

    private static PerpetualVenueHarness WithDealer()
    {
        var harness = new PerpetualVenueHarness();
        harness.Deposit(Dealer, 1_000_000_000);
        return harness;
    }

    [Test]
    public void AnOrderExactlyAtTheInitialMarginIsAdmittedAndOneLotMoreIsRejected()
    {
        // 20% initial margin at an oracle of 100 ticks: 2,000 quote atoms carry exactly 100 lots bought at the oracle.
        PerpetualVenueHarness harness = WithDealer();
        harness.Deposit(Trader, 2_000);
        harness.Deposit(Other, 2_000);
        PerpetualOrder atLimit = PerpetualVenueHarness.Buy(Trader, 100, 100);
        PerpetualOrder beyond = PerpetualVenueHarness.Buy(Other, 100, 101);

        List<PerpetualVenueEvent> events = harness.Block(1, 100, [atLimit, beyond, PerpetualVenueHarness.Sell(Dealer, 100, 300)]);

        PerpetualVenueEvent rejected = events.OfKind(PerpetualVenueEventKind.Rejected).Single();
        Assert.That((rejected.OrderId, rejected.Admission, rejected.Trader), Is.EqualTo((beyond.Order.Id, AdmissionStatus.InsufficientMargin, PerpetualVenueHarness.Account(Other))));
        Assert.That((harness.Position(Trader), harness.Position(Other), harness.Position(Dealer)), Is.EqualTo((100L, 0L, -100L)));
        Assert.That(harness.Manager.GetPosition(PerpetualVenueHarness.Account(Trader)), Is.EqualTo(100));
    }

    [Test]
    public void AReduceOnlyHostOrderIsCutToThePositionAndNeverFlipsIt()
    {
        PerpetualVenueHarness harness = WithDealer();
        harness.Deposit(Trader, 10_000);
        harness.Block(1, 100, [PerpetualVenueHarness.Buy(Trader, 100, 10), PerpetualVenueHarness.Sell(Dealer, 100, 10)]);
        PerpetualOrder close = PerpetualVenueHarness.Sell(Trader, 100, 15, reduceOnly: true);

        List<PerpetualVenueEvent> events = harness.Block(2, 100, [close, PerpetualVenueHarness.Buy(Dealer, 100, 20)]);

        PerpetualVenueEvent reduced = events.OfKind(PerpetualVenueEventKind.Reduced).Single();
        Assert.That((reduced.OrderId, reduced.Admission, reduced.Quantity), Is.EqualTo((close.Order.Id, AdmissionStatus.Reduced, 10L)));
        Assert.That(harness.Position(Trader), Is.Zero);
    }

    [Test]
    public void AStopOnAPerpetualReleasesAtMostThePositionAndIsCancelledWhenThePositionCloses()
    {
        PerpetualVenueHarness harness = WithDealer();
        harness.Deposit(Trader, 10_000);
        Instruction stop = ManagerHarness.Stop(Trader, Side.Sell, StopKind.StopLoss, trigger: 90, quantity: 8);
        harness.Block(1, 100, [PerpetualVenueHarness.Buy(Trader, 100, 5), PerpetualVenueHarness.Sell(Dealer, 100, 5)], [stop]);

        List<PerpetualVenueEvent> triggered = harness.Block(2, 90);
        List<PerpetualVenueEvent> closed = harness.Block(3, 90, [PerpetualVenueHarness.Buy(Dealer, 90, 20)]);

        Assert.That(triggered.Managed(ManagementEventKind.Released).Single().Quantity, Is.EqualTo(5));
        Assert.That(harness.Position(Trader), Is.Zero);
        ManagementEvent cancelled = closed.Managed(ManagementEventKind.Cancelled).Single();
        Assert.That((cancelled.Instruction, cancelled.Cause), Is.EqualTo((ManagerHarness.IdOf(stop), CancelCause.PositionClosed)));
        Assert.That(harness.Manager.IsLive(ManagerHarness.IdOf(stop)), Is.False);
    }

    [Test]
    public void APartialCloseResizesTheStopAndCancelsNothing()
    {
        // The trap: a venue that cancels every stop on any reduction leaves the rest of the position unprotected.
        PerpetualVenueHarness harness = WithDealer();
        harness.Deposit(Trader, 10_000);
        Instruction stop = ManagerHarness.Stop(Trader, Side.Sell, StopKind.StopLoss, trigger: 90, quantity: 10);
        harness.Block(1, 100, [PerpetualVenueHarness.Buy(Trader, 100, 10), PerpetualVenueHarness.Sell(Dealer, 100, 10)], [stop]);

        List<PerpetualVenueEvent> partial = harness.Block(2, 100, [PerpetualVenueHarness.Sell(Trader, 100, 4, reduceOnly: true), PerpetualVenueHarness.Buy(Dealer, 100, 4)]);
        List<PerpetualVenueEvent> triggered = harness.Block(3, 90);

        Assert.That(partial.Managed(ManagementEventKind.Cancelled), Is.Empty);
        Assert.That(harness.Manager.IsLive(ManagerHarness.IdOf(stop)), Is.True);
        Assert.That(triggered.Managed(ManagementEventKind.Released).Single().Quantity, Is.EqualTo(6));
    }

    [Test]
    public void ABracketsExitsAreReduceOnlyResizeOnAPartialCloseAndAreCancelledWhenThePositionCloses()
    {
        PerpetualVenueHarness harness = WithDealer();
        harness.Deposit(Trader, 10_000);
        Instruction bracket = ManagerHarness.Bracket(Trader, InstructionLeg.Limit(Side.Buy, 100, 10), takeProfit: 120, stopLoss: 80);
        harness.Block(1, 100, instructions: [bracket]);
        harness.Block(2, 100, [PerpetualVenueHarness.Sell(Dealer, 100, 10)]);
        Assert.That(harness.Position(Trader), Is.EqualTo(10));

        List<PerpetualVenueEvent> partial = harness.Block(3, 100, [PerpetualVenueHarness.Sell(Trader, 100, 4, reduceOnly: true), PerpetualVenueHarness.Buy(Dealer, 100, 4)]);
        List<PerpetualVenueEvent> triggered = harness.Block(4, 120);
        List<PerpetualVenueEvent> closed = harness.Block(5, 120, [PerpetualVenueHarness.Buy(Dealer, 120, 10)]);

        Assert.That(partial.Managed(ManagementEventKind.Cancelled), Is.Empty);
        ManagementEvent released = triggered.Managed(ManagementEventKind.Released).Single();
        Assert.That((released.Role, released.Quantity), Is.EqualTo((LegRole.TakeProfit, 6L)));
        Assert.That(harness.Position(Trader), Is.Zero);
        Assert.That(
            closed.Managed(ManagementEventKind.Cancelled).Select(e => (e.Role, e.Cause)),
            Does.Contain((LegRole.StopLoss, CancelCause.PositionClosed)));
        Assert.That(harness.Manager.IsLive(ManagerHarness.IdOf(bracket)), Is.False);
    }

    [Test]
    public void ALeveragedLongIsLiquidatedInTheNextBatchAgainstALiquidatorsBid()
    {
        PerpetualVenueHarness harness = WithDealer();
        harness.Deposit(Trader, 2_000);
        harness.Deposit(Other, 1_000_000);
        harness.Block(1, 100, [PerpetualVenueHarness.Buy(Trader, 100, 100), PerpetualVenueHarness.Sell(Dealer, 100, 100)]);

        // TNC = 2,000 + 100 × (85 − 100) = 500 < TMMR = 100 × 85 × 10% = 850.
        List<PerpetualVenueEvent> scanned = harness.Block(2, 85);
        LiquidationOrder liquidation = scanned.OfKind(PerpetualVenueEventKind.Liquidation).Single().Liquidation;
        List<PerpetualVenueEvent> cleared = harness.Block(3, 85, [PerpetualVenueHarness.Buy(Other, 85, 100)]);

        Assert.That((liquidation.Account, liquidation.Side, liquidation.Quantity), Is.EqualTo((PerpetualVenueHarness.Account(Trader), Side.Sell, 100L)));
        Assert.That(liquidation.LimitPrice, Is.LessThanOrEqualTo(85));
        VenueEvent fill = cleared.Venue(VenueEventKind.Fill).Single(e => e.OrderId == liquidation.OrderId);
        Assert.That((fill.Source, fill.Quantity), Is.EqualTo((harness.Venue.LiquidationSource, 100L)));
        Assert.That((harness.Position(Trader), harness.Position(Other)), Is.EqualTo((0L, 100L)));
        Assert.That(harness.Conserves([Trader, Dealer, Other]), Is.True);
    }

    [Test]
    public void NobodyAtMaintenanceIsLiquidated()
    {
        // TNC = 2,000 + 100 × (P − 100) against TMMR = 10 × P: equal at P = 8000 / 90, so 89 is safe and 88 is not.
        PerpetualVenueHarness harness = WithDealer();
        harness.Deposit(Trader, 2_000);
        harness.Block(1, 100, [PerpetualVenueHarness.Buy(Trader, 100, 100), PerpetualVenueHarness.Sell(Dealer, 100, 100)]);

        Assert.That(harness.Block(2, 89).OfKind(PerpetualVenueEventKind.Liquidation), Is.Empty);
        Assert.That(harness.Block(3, 88).OfKind(PerpetualVenueEventKind.Liquidation), Is.Not.Empty);
    }

    [Test]
    public void FundingIsPaidAtTheEndOfEachIntervalAtTheCappedAveragePremium()
    {
        var harness = new PerpetualVenueHarness(fundingIntervalBlocks: 2, fundingCapPpm: 10_000);
        harness.Deposit(Dealer, 1_000_000_000);
        harness.Deposit(Trader, 100_000);

        // Batches trade 1% and 3% over the oracle: the average 2% is capped at 1%.
        List<PerpetualVenueEvent> first = harness.Block(1, 100, [PerpetualVenueHarness.Buy(Trader, 101, 10), PerpetualVenueHarness.Sell(Dealer, 101, 10)]);
        List<PerpetualVenueEvent> second = harness.Block(2, 100, [PerpetualVenueHarness.Buy(Trader, 103, 10), PerpetualVenueHarness.Sell(Dealer, 103, 10)]);

        Assert.That(first.OfKind(PerpetualVenueEventKind.Funding), Is.Empty);
        Assert.That(second.OfKind(PerpetualVenueEventKind.Funding).Single().Funding.RatePpm, Is.EqualTo(10_000));
        Assert.That(harness.Conserves([Trader, Dealer]), Is.True);
    }

    [Test]
    public void TheFirstBlockNeedsAUsableOraclePrice()
    {
        PerpetualVenueHarness harness = WithDealer();

        Assert.That(() => harness.Block(1, null), Throws.ArgumentException.With.Property("ParamName").EqualTo("observation"));
        Assert.That(harness.Venue.Venue.LastBlock, Is.EqualTo(long.MinValue));
    }

    [Test]
    public void AnOutOfRangeObservationIsRefusedBeforeAnythingChangesEvenWhenStale()
    {
        PerpetualVenueHarness harness = WithDealer();
        harness.Deposit(Trader, 2_000);
        harness.Block(1, 100, [PerpetualVenueHarness.Buy(Trader, 100, 100), PerpetualVenueHarness.Sell(Dealer, 100, 100)]);
        var stale = new OracleObservation(ManagerHarness.MaxPrice + 1, PublishedBlock: -100);

        Assert.That(
            () => harness.Venue.ProcessVerifiedBlock(2, stale, [], [], [], ManagerHarness.Randomness(2), ManagerHarness.Randomness(3)),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(harness.Venue.Venue.LastBlock, Is.EqualTo(1));
        Assert.That(harness.Block(2, 88).OfKind(PerpetualVenueEventKind.Liquidation).Single().Liquidation.Account, Is.EqualTo(PerpetualVenueHarness.Account(Trader)));
    }

    [Test]
    public void AHostOrderMayNotUseALiquidationId()
    {
        PerpetualVenueHarness harness = WithDealer();
        var order = new PerpetualOrder(0, new Order(PerpetualEngine.LiquidationIdFlag | 1, PerpetualVenueHarness.Account(Dealer), Side.Buy, OrderType.Limit, 100, 1, 0), false);

        Assert.That(() => harness.Block(1, 100, [order]), Throws.ArgumentException.With.Property("ParamName").EqualTo("orders"));
    }

    [Test]
    public void AnOrderOfAnotherMarketOrAnUnknownAccountIsRejectedAloneWithItsReason()
    {
        PerpetualVenueHarness harness = WithDealer();
        harness.Deposit(Trader, 10_000);
        PerpetualOrder elsewhere = PerpetualVenueHarness.Buy(Trader, 100, 1) with { MarketIndex = 1 };
        PerpetualOrder stranger = PerpetualVenueHarness.Buy(Other, 100, 1);

        List<PerpetualVenueEvent> events = harness.Block(1, 100, [elsewhere, stranger, PerpetualVenueHarness.Buy(Trader, 100, 1), PerpetualVenueHarness.Sell(Dealer, 100, 3)]);

        Assert.That(
            events.OfKind(PerpetualVenueEventKind.Rejected).Select(e => (e.OrderId, e.Admission)),
            Is.EquivalentTo(new[] { (elsewhere.Order.Id, AdmissionStatus.UnknownMarket), (stranger.Order.Id, AdmissionStatus.UnknownAccount) }));
        Assert.That(harness.Position(Trader), Is.EqualTo(1));
    }
}
