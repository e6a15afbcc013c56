using System.Numerics;
using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Management;
using AuctionEngine.Venue;
using AuctionEngine.Venue.Internal;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static AuctionEngine.Tests.Venue.MultiMarketVenueHarness;

namespace AuctionEngine.Tests.Venue;

[TestFixture]
public sealed class MultiMarketVenueTests
{
    private const int Trader = 1;
    private const int Dealer = 2;
    private const int Hostile = 3;

    private static MultiMarketVenueHarness WithDealer(long callExpiry = 6, long putExpiry = 12, long call1Expiry = 9, int fundingIntervalBlocks = 4)
    {
        var harness = new MultiMarketVenueHarness(callExpiry, putExpiry, call1Expiry, fundingIntervalBlocks);
        harness.Deposit(Dealer, 1_000_000_000_000);
        harness.Deposit(Trader, 100_000_000);
        return harness;
    }

    [Test]
    public void AnInstructionForASeriesReleasesOnlyIntoThatSeriesBatch()
    {
        using MultiMarketVenueHarness harness = WithDealer();
        harness.Block(1, 10_000, 2_000);
        long fair = harness.FairValue(Put0);
        Instruction put = Limit(Put0, Trader, Side.Buy, fair + 5, 3);
        Instruction perp = Limit(Perp1, Trader, Side.Sell, 2_010, 2);

        List<PerpetualVenueEvent> submitted = harness.Block(2, 10_000, 2_000, instructions: [put, perp]);
        List<PerpetualVenueEvent> traded = harness.Block(3, 10_000, 2_000, [Order(Put0, Dealer, Side.Sell, fair, 10), Order(Perp1, Dealer, Side.Buy, 2_010, 10)]);

        IEnumerable<PerpetualVenueEvent> managed = submitted.Concat(traded).Where(e => e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Management);
        Assert.Multiple(() =>
        {
            Assert.That(managed.Where(e => e.Venue.Management.Instruction == IdOf(put)).Select(e => e.MarketIndex).Distinct(), Is.EqualTo(new[] { Put0 }));
            Assert.That(managed.Where(e => e.Venue.Management.Instruction == IdOf(perp)).Select(e => e.MarketIndex).Distinct(), Is.EqualTo(new[] { Perp1 }));
            Assert.That(submitted.Managed(ManagementEventKind.Released).Count(), Is.EqualTo(2));
            Assert.That(traded.Managed(ManagementEventKind.Fill).Count(), Is.EqualTo(2));
            Assert.That(Enumerable.Range(0, MarketCount).Select(m => harness.Position(Trader, m)), Is.EqualTo(new long[] { 0, -2, 0, 3, 0 }));
            Assert.That(harness.Manager(Put0).GetPosition(Account(Trader)), Is.EqualTo(3), "the series' manager learns the series position");
            Assert.That(harness.Manager(Perp1).GetPosition(Account(Trader)), Is.EqualTo(-2));
        });
    }

    [Test]
    public void AnExpiredSeriesIsSettledAtTheUnderlyingsOracleAndRefusesOrdersWithTheReason()
    {
        using MultiMarketVenueHarness harness = WithDealer(callExpiry: 3);
        harness.Block(1, 10_000, 2_000);
        long fair = harness.FairValue(Call0);
        Instruction standing = Limit(Call0, Trader, Side.Buy, fair, 1, nonce: 1);
        harness.Block(2, 10_000, 2_000, [Order(Call0, Trader, Side.Buy, fair, 4), Order(Call0, Dealer, Side.Sell, fair, 4)], [standing]);
        Assert.That(harness.Position(Trader, Call0), Is.EqualTo(4));
        Instruction late = Limit(Call0, Trader, Side.Buy, fair, 2, nonce: 2);
        PerpetualOrder refused = Order(Call0, Trader, Side.Buy, fair, 1);
        Int128 before = harness.Engine.GetCollateral(Account(Trader));

        // Block 3 is the expiry, but the underlying's only observation is stale: the series stops trading, unsettled, and
        // its manager closes all the same.
        List<PerpetualVenueEvent> expired = harness.Block(3, 10_700, 2_000, [refused, Order(Call0, Dealer, Side.Sell, fair, 5)], [late], published: 0);
        List<PerpetualVenueEvent> settled = harness.Block(4, 10_500, 2_000);

        Assert.Multiple(() =>
        {
            Assert.That(expired.OfKind(PerpetualVenueEventKind.SeriesSettled), Is.Empty);
            Assert.That(
                expired.OfKind(PerpetualVenueEventKind.Rejected).Where(e => e.MarketIndex == Call0).Select(e => (e.OrderId, e.Admission)),
                Does.Contain((refused.Order.Id, AdmissionStatus.SeriesExpired)));
            PerpetualVenueEvent settlement = settled.OfKind(PerpetualVenueEventKind.SeriesSettled).Single();
            Assert.That(settlement.MarketIndex, Is.EqualTo(Call0));
            // (10,500 − 10,000) × contract size 2 × tick 10 = 10,000 quote atoms a lot.
            Assert.That(settlement.Settlement, Is.EqualTo(new SeriesSettlement(Call0, 10_500, 10_000, 4, 40_000)));
            Assert.That(harness.Engine.GetCollateral(Account(Trader)) - before, Is.EqualTo((Int128)40_000));
            Assert.That(harness.Position(Trader, Call0), Is.Zero);
            Assert.That(harness.Manager(Call0).GetPosition(Account(Trader)), Is.Zero, "the manager learns the closed position");
            Assert.That(harness.Venue.Exposures.ToArray().Where(x => x.MarketIndex == Call0), Is.Empty, "a settled series' manager learns nothing more");
            Assert.That(
                expired.OfKind(PerpetualVenueEventKind.Rejected).Where(e => e.Instruction == IdOf(standing)).Select(e => (e.MarketIndex, e.Admission)),
                Is.EqualTo(new[] { (Call0, AdmissionStatus.SeriesExpired) }), "the manager's release before the expiry is refused with the reason");
            Assert.That(
                expired.Where(e => e.MarketIndex == Call0).Managed(ManagementEventKind.Cancelled).Select(e => (e.Instruction, e.Cause)),
                Is.EquivalentTo(new[] { (IdOf(standing), CancelCause.MarketClosed), (IdOf(late), CancelCause.MarketClosed) }),
                "at its expiry, before settlement, the series' manager closes: one accepted in the expiry block too");
            Assert.That(expired.Where(e => e.MarketIndex == Call0).Managed(ManagementEventKind.Released), Is.Empty, "its last pre-expiry fair value releases nothing");
            Assert.That(settled.Where(e => e.MarketIndex == Call0).Venue(VenueEventKind.Management), Is.Empty, "a closed manager has nothing more to say");
            Assert.That(settled.OfKind(PerpetualVenueEventKind.Rejected), Is.Empty);
        });
        Assert.That(harness.ConservationGap([Trader, Dealer]), Is.EqualTo(Int128.Zero));
    }

    [Test]
    public void OnlyAPricePublishedAtOrAfterTheExpirySettlesASeries()
    {
        using MultiMarketVenueHarness harness = WithDealer(callExpiry: 3);
        harness.Block(1, 10_000, 2_000);
        long fair = harness.FairValue(Call0);
        harness.Block(2, 10_000, 2_000, [Order(Call0, Trader, Side.Buy, fair, 4), Order(Call0, Dealer, Side.Sell, fair, 4)]);

        // Usable (one block old) but published before the expiry: a keeper could pick the last pre-expiry price.
        List<PerpetualVenueEvent> early = harness.Block(3, 10_900, 2_000, published: 2);
        List<PerpetualVenueEvent> atExpiry = harness.Block(4, 10_300, 2_000, published: 3);

        Assert.Multiple(() =>
        {
            Assert.That(early.OfKind(PerpetualVenueEventKind.SeriesSettled), Is.Empty);
            Assert.That(harness.Engine.IsSeriesSettled(Call0), Is.True);
            Assert.That(atExpiry.OfKind(PerpetualVenueEventKind.SeriesSettled).Single().Settlement.SettlementPrice, Is.EqualTo(10_300));
            Assert.That(harness.Position(Trader, Call0), Is.Zero);
        });
    }

    [Test]
    public void AHostileTradersOrdersAndInstructionsForUnknownMarketsAreRefusedAndSinkNothing()
    {
        using MultiMarketVenueHarness harness = WithDealer();
        harness.Deposit(Hostile, 10_000_000);
        harness.Block(1, 10_000, 2_000);
        PerpetualOrder nowhere = Order(Perp0, Hostile, Side.Buy, 10_000, 1) with { MarketIndex = MarketCount };
        PerpetualOrder negative = Order(Perp0, Hostile, Side.Sell, 10_000, 1) with { MarketIndex = -1 };
        Instruction stray = Instruction.Limit(Account(Hostile), Account(77), 0, 0, InstructionLeg.Limit(Side.Buy, 10_000, 5));
        var strayCancel = new InstructionCancellation(Account(Hostile), Account(78), IdOf(Limit(Perp0, Hostile, Side.Buy, 1, 1)));
        Instruction honest = Limit(Perp1, Trader, Side.Buy, 2_000, 3);

        List<PerpetualVenueEvent> events = harness.Block(
            2, 10_000, 2_000, [nowhere, Order(Perp0, Trader, Side.Buy, 10_000, 2), negative, Order(Perp0, Dealer, Side.Sell, 10_000, 2)], [stray, honest], [strayCancel]);

        Assert.Multiple(() =>
        {
            Assert.That(
                events.OfKind(PerpetualVenueEventKind.Rejected).Select(e => (e.OrderId, e.MarketIndex, e.Admission, e.Trader)),
                Is.EquivalentTo(new[]
                {
                    (nowhere.Order.Id, MarketCount, AdmissionStatus.UnknownMarket, Account(Hostile)),
                    (negative.Order.Id, -1, AdmissionStatus.UnknownMarket, Account(Hostile)),
                }));
            PerpetualVenueEvent instruction = events.OfKind(PerpetualVenueEventKind.InstructionRejected).Single();
            Assert.That((instruction.Instruction, instruction.Trader, instruction.MarketAddress, instruction.Reason, instruction.MarketIndex),
                Is.EqualTo((IdOf(stray), Account(Hostile), Account(77), InstructionRejectReason.WrongMarket, -1)));
            PerpetualVenueEvent cancellation = events.OfKind(PerpetualVenueEventKind.CancellationRejected).Single();
            Assert.That((cancellation.Instruction, cancellation.MarketAddress, cancellation.Reason), Is.EqualTo((strayCancel.Instruction, Account(78), InstructionRejectReason.WrongMarket)));
            Assert.That(events.Managed(ManagementEventKind.Rejected), Is.Empty, "no manager saw them");
            Assert.That(events.Managed(ManagementEventKind.Accepted).Single().Instruction, Is.EqualTo(IdOf(honest)));
            Assert.That(harness.Position(Trader, Perp0), Is.EqualTo(2), "the honest orders of the block trade");
            Assert.That(harness.Position(Hostile, Perp0), Is.Zero);
        });
    }

    [Test]
    public void ASeriesManagerQuotesOffTheSeriesFairValueWhichAgesWithTheUnderlyingsObservation()
    {
        using MultiMarketVenueHarness harness = WithDealer();
        harness.Block(1, 10_000, 2_000);
        // A TWAP with no tolerance prices each part at its manager's oracle: the series' fair value in premium ticks. Its
        // parts are due from block 3 on.
        Instruction twap = Instruction.Twap(Account(Trader), MarketAddress(Put0), 0, 0, Side.Buy, 40, 4, 1, 0, 0);
        harness.Block(2, 10_000, 2_000, instructions: [twap]);

        List<PerpetualVenueEvent> fresh = harness.Block(3, 9_800, 2_000, published: 2);
        long fair = harness.FairValue(Put0);
        List<PerpetualVenueEvent> aged = harness.Block(4, null, 2_000);
        List<PerpetualVenueEvent> stale = harness.Block(5, null, 2_000);

        Assert.Multiple(() =>
        {
            Assert.That(fair, Is.GreaterThan(1));
            Assert.That(fresh.Managed(ManagementEventKind.Released).Single().Price, Is.EqualTo(fair));
            Assert.That(aged.Managed(ManagementEventKind.Released).Single().Price, Is.EqualTo(fair), "the underlying's observation published at block 2 is still usable at 4");
            Assert.That(stale.Where(e => e.MarketIndex == Put0).Managed(ManagementEventKind.Stale).Single().OracleBlock, Is.EqualTo(2L),
                "published in the underlying's block, so it goes stale with it");
            Assert.That(stale.Managed(ManagementEventKind.Released), Is.Empty);
        });
    }

    [Test]
    public void EachManagerLearnsTheRoundedPortfolioGreeksOfExactlyItsHedgersAndQuoters()
    {
        using MultiMarketVenueHarness harness = WithDealer();
        harness.Deposit(Hostile, 50_000_000);
        harness.Block(1, 10_000, 2_000);
        long call = harness.FairValue(Call0);
        long put = harness.FairValue(Put0);
        long call1 = harness.FairValue(Call1);
        Instruction Quote(int trader, int series) =>
            Instruction.Quote(Account(trader), MarketAddress(series), 0, 0, quantity: 1, halfSpreadBps: 100, minHalfSpread: 1, vegaSpreadBps: 0, vegaUnit: 1, deltaSpreadBps: 0, deltaUnit: 1, maxPosition: 0);
        Instruction Hedge(int trader, int perpetual) =>
            Instruction.DeltaHedge(Account(trader), MarketAddress(perpetual), 0, 0, targetDelta: 0, band: 1_000_000, maxQuantity: 1, toleranceBps: 0);

        // Everyone moves (fills, a submission); only the trader (two series, a hedge on perpetual 0) and 9 (a hedge on
        // perpetual 1, and no account) quote or hedge.
        harness.Block(2, 10_050, 2_010,
        [
            Order(Call0, Trader, Side.Buy, call, 7), Order(Put0, Trader, Side.Sell, put, 3), Order(Call1, Trader, Side.Buy, call1, 9),
            Order(Perp0, Hostile, Side.Sell, 10_050, 2), Order(Perp0, Trader, Side.Buy, 10_050, 1),
            Order(Call0, Dealer, Side.Sell, call, 7), Order(Put0, Dealer, Side.Buy, put, 3), Order(Call1, Dealer, Side.Sell, call1, 9), Order(Perp0, Dealer, Side.Buy, 10_050, 1),
        ], [Limit(Perp1, Hostile, Side.Buy, 1_000, 1), Quote(Trader, Call0), Quote(Trader, Call1), Hedge(Trader, Perp0), Hedge(9, Perp1)]);

        TraderExposure[] exposures = harness.Venue.Exposures.ToArray();
        Assert.That(
            exposures.Select(x => (x.MarketIndex, x.Trader)),
            Is.EqualTo(new[] { (Perp0, Account(Trader)), (Perp1, Account(9)), (Call0, Account(Trader)), (Call1, Account(Trader)) }),
            "by market, then address; no one without a hedge or quote there");
        foreach (TraderExposure exposure in exposures)
        {
            PortfolioGreeks greeks = harness.Engine.HasAccount(exposure.Trader) ? harness.Engine.GetPortfolioGreeks(exposure.Trader, Underlying(exposure.MarketIndex)) : default;
            Assert.That((exposure.Delta, exposure.Vega), Is.EqualTo((RoundHalfAway(greeks.Delta), RoundHalfAway(greeks.Vega))), $"{exposure}");
            Assert.That(harness.Manager(exposure.MarketIndex).GetExposure(exposure.Trader), Is.EqualTo((exposure.Delta, exposure.Vega)), "the manager learned it");
        }

        Assert.That(harness.Manager(Put0).GetExposure(Account(Trader)), Is.Null, "the trader's put market has no quote of its");
        TraderExposure trader = exposures.First(x => x.Trader == Account(Trader) && x.MarketIndex == Call0);
        Assert.That(trader.Vega, Is.Not.Zero, "the trader's options give it vega");
        Assert.That(trader.Delta, Is.Not.EqualTo(harness.Position(Trader, Perp0)), "its delta counts its options, not only its perpetual");
    }

    [FsCheck.NUnit.Property(MaxTest = 400)]
    public Property RoundingToLongIsToTheNearestWithTiesAwayFromZeroAndSaturates() => Prop.ForAll(
        Arb.From(Gen.OneOf(
            Gen.Choose(-2_000, 2_000).Select(n => n / 2.0),
            Gen.Choose(-2_000, 2_000).Select(n => Math.BitIncrement(n / 2.0)),
            Gen.Choose(-2_000, 2_000).Select(n => Math.BitDecrement(n / 2.0)),
            Gen.Elements(0.49999999999999994, -0.49999999999999994, 9.2233720368547748E18, 9.2233720368547758E18, -9.2233720368547758E18, -9.2233720368547779E18, 1e300, -1e300),
            Gen.Choose(int.MinValue, int.MaxValue).Select(n => n * 1.0e9 + 0.5))),
        value =>
        {
            BigInteger expected = RoundHalfAwayExact(value);
            long clamped = expected > long.MaxValue ? long.MaxValue : expected < long.MinValue ? long.MinValue : (long)expected;
            return (PerpetualVenue.RoundToLong(value) == clamped).Label($"{value:R}");
        });

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property SettlementPaysEveryPositionItsExactIntrinsicValue() => Prop.ForAll(
        Arb.From(
            from lots in Gen.Choose(-50, 50).ArrayOf(3)
            from s0 in Gen.OneOf(Gen.Choose(9_490, 9_510), Gen.Choose(9_990, 10_010), Gen.Choose(1, 30_000), Gen.Elements(1, 1_000_000_000))
            from s1 in Gen.OneOf(Gen.Choose(1_995, 2_005), Gen.Choose(1, 8_000), Gen.Elements(1, 1_000_000_000))
            select (lots, s0, s1)),
        input =>
        {
            (int[] lots, int s0, int s1) = input;
            using MultiMarketVenueHarness harness = WithDealer(callExpiry: 3, putExpiry: 3, call1Expiry: 3, fundingIntervalBlocks: 1_000);
            harness.Deposit(Dealer, 100_000_000_000_000);
            int[] series = [Call0, Put0, Call1];
            for (int a = 0; a < 3; a++)
            {
                harness.Deposit(10 + a, 10_000_000_000_000);
            }

            harness.Block(1, 10_000, 2_000);
            List<PerpetualOrder> orders = [];
            for (int a = 0; a < 3; a++)
            {
                long price = harness.FairValue(series[a]);
                if (lots[a] != 0)
                {
                    orders.Add(Order(series[a], 10 + a, lots[a] > 0 ? Side.Buy : Side.Sell, price, Math.Abs(lots[a])));
                    orders.Add(Order(series[a], Dealer, lots[a] > 0 ? Side.Sell : Side.Buy, price, Math.Abs(lots[a])));
                }
            }

            harness.Block(2, 10_000, 2_000, [.. orders]);
            Int128[] before = [.. Enumerable.Range(10, 3).Select(a => harness.Engine.GetCollateral(Account(a)))];
            List<PerpetualVenueEvent> events = harness.Block(3, s0, s1);

            // Independently: intrinsic value in the underlying's ticks × contract size × the underlying's tick size.
            BigInteger[] payoff =
            [
                BigInteger.Max(s0 - 10_000, 0) * 2 * 10,
                BigInteger.Max(9_500 - s0, 0) * 1 * 10,
                BigInteger.Max(s1 - 2_000, 0) * 5 * 5,
            ];
            SeriesSettlement[] settled = [.. events.OfKind(PerpetualVenueEventKind.SeriesSettled).Select(e => e.Settlement)];
            bool exact = settled.Select(x => x.MarketIndex).SequenceEqual(series)
                && settled.Select((x, i) => (BigInteger)x.PayoffPerLot == payoff[i] && x.OpenInterest == Math.Abs(lots[i]) && (BigInteger)x.Paid == payoff[i] * Math.Abs(lots[i])).All(ok => ok)
                && Enumerable.Range(0, 3).All(a => (BigInteger)(harness.Engine.GetCollateral(Account(10 + a)) - before[a]) == lots[a] * payoff[a]);
            return (exact && harness.ConservationGap([Dealer, Trader, 10, 11, 12]) == 0).Label($"lots {string.Join(",", lots)} at {s0}/{s1}: {string.Join("; ", settled)}");
        });

    [Test]
    public void AWarmMultiMarketBlockAllocatesNothing()
    {
        // Expiries far beyond the run: the warm cycle keeps every series trading.
        using MultiMarketVenueHarness harness = WithDealer(callExpiry: 10_000, putExpiry: 10_000, call1Expiry: 10_000);
        harness.Deposit(Hostile, 100_000_000);
        harness.Block(1, 10_000, 2_000, instructions: [Limit(Perp1, Trader, Side.Buy, 1_990, 1_000), Limit(Call0, Hostile, Side.Sell, 1, 1_000_000, nonce: 1)]);
        long call = harness.FairValue(Call0);
        long put = harness.FairValue(Put0);
        PerpetualOrder[] open =
        [
            Order(Perp0, Trader, Side.Buy, 10_000, 3), Order(Perp0, Dealer, Side.Sell, 10_000, 3), Order(Call0, Trader, Side.Buy, call, 2), Order(Call0, Dealer, Side.Sell, call, 2),
            Order(Put0, Dealer, Side.Sell, put, 2), Order(Put0, Trader, Side.Buy, put, 2), Order(Perp1, Dealer, Side.Sell, 1_990, 2),
        ];
        PerpetualOrder[] close =
        [
            Order(Perp0, Trader, Side.Sell, 10_000, 3, reduceOnly: true), Order(Perp0, Dealer, Side.Buy, 10_000, 5), Order(Call0, Trader, Side.Sell, call, 2), Order(Call0, Dealer, Side.Buy, call, 2),
            Order(Put0, Trader, Side.Sell, put, 20, reduceOnly: true), Order(Put0, Dealer, Side.Buy, put, 2), Order(MarketCount + 3, Hostile, Side.Buy, 1, 1),
        ];
        OracleObservation?[] observations = new OracleObservation?[2];
        void Run(long block, PerpetualOrder[] orders)
        {
            observations[0] = new OracleObservation(block % 2 == 0 ? 10_000 : 10_040, block);
            observations[1] = new OracleObservation(2_000, block);
            harness.Venue.ProcessVerifiedBlock(
                new PerpetualVenueBlock
                {
                    Block = block, Timestamp = Timestamp0 + block, Observations = observations, Volatilities = harness.Volatilities, Orders = orders,
                },
                [], []);
        }

        for (long block = 2; block < 40; block += 2)
        {
            Run(block, open);
            Run(block + 1, close);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long block = 40; block < 240; block += 2)
        {
            Run(block, open);
            Run(block + 1, close);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        PerpetualVenueEvent[] last = harness.Venue.Events.ToArray();
        Assert.That(allocated, Is.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(last.Where(e => e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Fill).Select(e => e.MarketIndex).Distinct(),
                Is.SupersetOf(new[] { Perp0, Call0, Put0 }), "the warm cycle trades perpetuals and series");
            Assert.That(last.Any(e => e.Kind == PerpetualVenueEventKind.Reduced), Is.True, "and cuts a reduce-only order");
            Assert.That(last.Any(e => e.Admission == AdmissionStatus.UnknownMarket), Is.True, "and refuses an order for no market");
        });
    }

    [Test]
    public void TheVenueChecksItsMarketsAndABadBlockChangesNothing()
    {
        using var clearing = new ClearingEngine(64);
        using MultiMarketVenueHarness harness = WithDealer();
        BatchVenue Venue(int market, Address? address = null) => new(
            new OrderManager(new OrderManagerSettings(MarketOf(market), address ?? MarketAddress(market), 8, 8, 8, 8), ManagerHarness.Domain), clearing, CircuitBreakerSettings.Off);
        BatchVenue[] fine = [.. Enumerable.Range(0, MarketCount).Select(m => Venue(m))];

        Assert.Multiple(() =>
        {
            Assert.That(() => new PerpetualVenue(fine[..4], harness.Engine), Throws.ArgumentException.With.Property("ParamName").EqualTo("venues"));
            Assert.That(() => new PerpetualVenue([.. fine[..3], Venue(Perp0, MarketAddress(3)), fine[4]], harness.Engine), Throws.ArgumentException, "a lot or tick size that is not the series'");
            Assert.That(() => new PerpetualVenue([.. fine[..4], Venue(Call1, MarketAddress(0))], harness.Engine), Throws.ArgumentException, "a market address twice");
            Assert.That(() => new PerpetualVenue(fine[0], harness.Engine), Throws.ArgumentException, "the one-venue constructor over an engine of five markets");
            Assert.That(
                () => harness.Venue.ProcessBlock(1, new OracleObservation(10_000, 1), [], [], [], default, default),
                Throws.InvalidOperationException, "the one-market overload on a venue of five");
        });

        harness.Block(1, 10_000, 2_000);
        harness.Volatilities[1] = double.NaN;
        Assert.That(() => harness.Block(2, 10_000, 2_000), Throws.InstanceOf<ArgumentOutOfRangeException>());
        harness.Volatilities[1] = 0.6;
        Assert.That(() => harness.Block(2, null, null, published: 2), Throws.Nothing, "block 2 is still to come: the bad one changed nothing");
        Assert.That(() => harness.Block(3, 10_000, null, [Order(Perp0, Trader, Side.Buy, 10_000, 1) with { Order = new Order(PerpetualEngine.LiquidationIdFlag | 7, Account(Trader), Side.Buy, OrderType.Limit, 10_000, 1, 0) }]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("input"));
        Assert.That(harness.Venue.Venues.Select(v => v.LastBlock), Is.All.EqualTo(2L));
    }

    private static long RoundHalfAway(double value) => (long)RoundHalfAwayExact(value);

    /// <summary>Nearest integer, ties away from zero, from the double's exact binary value (no floating-point rounding).</summary>
    private static BigInteger RoundHalfAwayExact(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            return BigInteger.Zero; // subnormal: far below one half
        }

        BigInteger significand = mantissa | (1L << 52);
        int shift = exponent - 1075;
        BigInteger magnitude;
        if (shift >= 0)
        {
            magnitude = significand << shift;
        }
        else if (shift < -60)
        {
            magnitude = BigInteger.Zero;
        }
        else
        {
            // value = significand / 2^-shift; add one half and floor.
            magnitude = ((significand << 1) + (BigInteger.One << -shift)) >> (1 - shift);
        }

        return negative ? -magnitude : magnitude;
    }
}
