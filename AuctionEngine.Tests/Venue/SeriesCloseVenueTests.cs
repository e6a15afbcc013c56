using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Management;
using AuctionEngine.Venue;
using NUnit.Framework;
using static AuctionEngine.Tests.Venue.MultiMarketVenueHarness;

namespace AuctionEngine.Tests.Venue;

/// <summary>
/// An option series' manager through a <see cref="PerpetualVenue"/> closes at the series' expiry block, settled then or
/// not: its instructions end as <see cref="CancelCause.MarketClosed"/>, later ones are refused, and it never again
/// releases, evaluates a pre-expiry fair value or reports <see cref="ManagementEventKind.Stale"/>.
/// </summary>
[TestFixture]
public sealed class SeriesCloseVenueTests
{
    private const int Maker = 1;
    private const int Dealer = 2;
    private const int Trader = 3;
    private const long Expiry = 5;

    private static readonly ManagementEventKind[] EvaluationKinds =
    [
        ManagementEventKind.Stale, ManagementEventKind.Expired, ManagementEventKind.Activated, ManagementEventKind.Triggered,
        ManagementEventKind.PartSkipped, ManagementEventKind.Released, ManagementEventKind.Throttled,
    ];

    private static Instruction MakersQuote(int nonce = 0) =>
        Instruction.Quote(Account(Maker), MarketAddress(Call0), (UInt128)nonce, 0, quantity: 2, halfSpreadBps: 100, minHalfSpread: 1,
            vegaSpreadBps: 0, vegaUnit: 1, deltaSpreadBps: 0, deltaUnit: 1, maxPosition: 0);

    /// <summary>
    /// Call0 expires at block 5. The maker holds four standing instructions on it from block 2 (a quote, a limit far
    /// below the market, a stop far below it and a long TWAP, none with an expiry); the trader a limit on Put0. Blocks
    /// 1 to 4 have fresh oracles.
    /// </summary>
    private static (Instruction[] OnCall0, Instruction OnPut0) Setup(MultiMarketVenueHarness harness)
    {
        harness.Deposit(Maker, 1_000_000_000);
        harness.Deposit(Dealer, 1_000_000_000_000);
        harness.Deposit(Trader, 100_000_000);
        harness.Block(1, 10_000, 2_000);
        Instruction[] onCall0 =
        [
            MakersQuote(),
            Limit(Call0, Maker, Side.Buy, 1, 5, nonce: 1),
            Instruction.Stop(Account(Maker), MarketAddress(Call0), 2, 0, InstructionLeg.Stop(Side.Sell, StopKind.StopLoss, 1, 3)),
            Instruction.Twap(Account(Maker), MarketAddress(Call0), 3, 0, Side.Buy, 30, 10, 3, 0, 0),
        ];
        Instruction onPut0 = Limit(Put0, Trader, Side.Buy, 1, 4);
        harness.Block(2, 10_000, 2_000, instructions: [.. onCall0, onPut0]);
        harness.Block(3, 10_000, 2_000);
        harness.Block(4, 10_000, 2_000);
        return (onCall0, onPut0);
    }

    private static IEnumerable<ManagementEvent> Call0Managed(IEnumerable<PerpetualVenueEvent> events) =>
        events.Where(e => e.MarketIndex == Call0 && e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Management).Select(e => e.Venue.Management);

    [Test]
    public void AtExpiryWithoutASettlementPriceTheManagerClosesAndNeverUsesItsLastFairValue()
    {
        using var harness = new MultiMarketVenueHarness(callExpiry: Expiry);
        (Instruction[] onCall0, Instruction onPut0) = Setup(harness);
        List<PerpetualVenueEvent> beforeExpiry = harness.Events.Where(e => e.Block == 4).ToList();

        // Block 5, the expiry: the underlying's observation is one block old, usable but published before the expiry, so
        // the series is not settled; the manager's last fair value (published at 4) is still within its oracle age.
        List<PerpetualVenueEvent> expiry = harness.Block(Expiry, 10_200, 2_000, published: 4);
        Instruction lateQuote = MakersQuote(nonce: 9);
        var cancelQuote = new InstructionCancellation(Account(Maker), MarketAddress(Call0), IdOf(onCall0[0]));
        List<PerpetualVenueEvent> stale = harness.Block(6, null, 2_000, instructions: [lateQuote], cancellations: [cancelQuote]);
        List<PerpetualVenueEvent> settled = harness.Block(7, 10_300, 2_000);

        Hash32[] ids = [.. onCall0.Select(IdOf).Order()];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Call0Managed(beforeExpiry).OfKind(ManagementEventKind.Released).Select(e => e.Role), Is.SupersetOf(new[] { LegRole.Bid, LegRole.Ask }),
                "the quote posts a pair every block before the expiry");
            Assert.That(expiry.OfKind(PerpetualVenueEventKind.SeriesSettled), Is.Empty, "no price published at or after the expiry yet");
            Assert.That(
                Call0Managed(expiry).OfKind(ManagementEventKind.Cancelled).Select(e => (e.Instruction, e.Role, e.Cause, e.Block)),
                Is.EqualTo(ids.Select(id => (id, LegRole.Whole, CancelCause.MarketClosed, Expiry))), "every instruction, in ascending id");
            Assert.That(Call0Managed(expiry).Where(e => EvaluationKinds.Contains(e.Kind)), Is.Empty, "no release at the pre-expiry fair value, no Stale");
            Assert.That(harness.Manager(Call0).IsClosed, Is.True);
            Assert.That(harness.Manager(Call0).LiveInstructions, Is.Zero, "the maker's instruction quota on the series is freed");
            Assert.That(
                Call0Managed(stale).Select(e => (e.Kind, e.Instruction, e.Reason)),
                Is.EquivalentTo(new[]
                {
                    (ManagementEventKind.Rejected, IdOf(lateQuote), InstructionRejectReason.MarketClosed),
                    (ManagementEventKind.CancellationRejected, IdOf(onCall0[0]), InstructionRejectReason.UnknownInstruction),
                }), "later instructions are refused, and nothing else is reported: no Stale");
            Assert.That(settled.OfKind(PerpetualVenueEventKind.SeriesSettled).Single().MarketIndex, Is.EqualTo(Call0), "settled once a price published after the expiry comes");
            Assert.That(Call0Managed(settled), Is.Empty);
            Assert.That(stale.Concat(settled).Where(e => e.MarketIndex == Call0).OfKind(PerpetualVenueEventKind.Rejected), Is.Empty, "the manager released nothing to refuse");
            Assert.That(harness.Manager(Put0).IsLive(IdOf(onPut0)), Is.True, "another series' manager is untouched");
            Assert.That(harness.Manager(Put0).IsClosed, Is.False);
            Assert.That(harness.ConservationGap([Maker, Dealer, Trader]), Is.EqualTo(Int128.Zero));
        }
    }

    [Test]
    public void AtExpiryWithASettlementPriceTheCloseComesAfterEveryBatchAndBeforeTheNextMarketsEvaluation()
    {
        using var harness = new MultiMarketVenueHarness(callExpiry: Expiry);
        (Instruction[] onCall0, Instruction onPut0) = Setup(harness);

        List<PerpetualVenueEvent> expiry = harness.Block(Expiry, 10_200, 2_000);

        int firstClose = expiry.FindIndex(e => e.MarketIndex == Call0 && e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Management
            && e.Venue.Management.Cause == CancelCause.MarketClosed);
        int lastClose = expiry.FindLastIndex(e => e.MarketIndex == Call0 && e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Management
            && e.Venue.Management.Cause == CancelCause.MarketClosed);
        int lastBatch = expiry.FindLastIndex(e => e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind is VenueEventKind.Cleared or VenueEventKind.NotCleared or VenueEventKind.Fill);
        int put0Release = expiry.FindIndex(e => e.MarketIndex == Put0 && e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Management
            && e.Venue.Management.Kind == ManagementEventKind.Released && e.Venue.Management.Instruction == IdOf(onPut0));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expiry[0].Kind, Is.EqualTo(PerpetualVenueEventKind.SeriesSettled), "settled in its expiry block");
            Assert.That(lastClose - firstClose + 1, Is.EqualTo(onCall0.Length), "one close event per instruction, together");
            Assert.That(firstClose, Is.GreaterThan(lastBatch), "after every market's batch");
            Assert.That(put0Release, Is.GreaterThan(lastClose), "before the next market's evaluation");
            Assert.That(Call0Managed(expiry).Where(e => EvaluationKinds.Contains(e.Kind)), Is.Empty);
            Assert.That(harness.Venue.Exposures.ToArray().Where(x => x.MarketIndex == Call0), Is.Empty, "a closed manager learns no exposure");
            Assert.That(harness.Manager(Call0).LiveInstructions, Is.Zero);
        }
    }
}
