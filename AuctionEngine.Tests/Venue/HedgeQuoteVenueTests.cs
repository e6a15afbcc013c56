using System.Numerics;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Venue;
using NUnit.Framework;
using static AuctionEngine.Tests.Venue.MultiMarketVenueHarness;

namespace AuctionEngine.Tests.Venue;

/// <summary>
/// Delta hedges and quotes through a <see cref="PerpetualVenue"/> over perpetuals and option series: the venue states
/// every hedger's and quoter's exposure every block, so both follow the oracle and time, not only fills.
/// </summary>
[TestFixture]
public sealed class HedgeQuoteVenueTests
{
    private const int Maker = 1;
    private const int Dealer = 2;

    private static MultiMarketVenueHarness WithShortCalls(out long soldAt)
    {
        var harness = new MultiMarketVenueHarness(callExpiry: 20);
        harness.Deposit(Dealer, 1_000_000_000_000);
        harness.Deposit(Maker, 1_000_000_000);
        harness.Block(1, 10_000, 2_000);
        soldAt = harness.FairValue(Call0);
        harness.Block(2, 10_000, 2_000, [Order(Call0, Maker, Side.Sell, soldAt, 10), Order(Call0, Dealer, Side.Buy, soldAt, 10)]);
        Assert.That(harness.Position(Maker, Call0), Is.EqualTo(-10));
        return harness;
    }

    /// <summary>The venue's rounding of a Greek: to the nearest integer, ties away from zero.</summary>
    private static long Rounded(double value) => (long)Math.Round(value, MidpointRounding.AwayFromZero);

    [Test]
    public void AHedgeIsSizedFromTheDeltaOfItsOwnBlockWhenTheOracleMovesWithoutAnyFill()
    {
        using MultiMarketVenueHarness harness = WithShortCalls(out _);
        Instruction hedge = Instruction.DeltaHedge(Account(Maker), MarketAddress(Perp0), 1, 0, targetDelta: 0, band: 0, maxQuantity: 1_000, toleranceBps: 100);
        harness.Block(3, 10_000, 2_000, instructions: [hedge]);

        // Nothing trades on the perpetual (no one offers), so the maker never moves by a fill again: only the oracle does.
        var sizes = new List<long>();
        foreach ((long block, long oracle) in new[] { (4L, 10_400L), (5L, 10_900L), (6L, 9_600L) })
        {
            List<PerpetualVenueEvent> events = harness.Block(block, oracle, 2_000);
            long delta = Rounded(harness.Engine.GetPortfolioGreeks(Account(Maker), Perp0).Delta);
            ManagementEvent released = events.Managed(ManagementEventKind.Released).Single(e => e.Instruction == IdOf(hedge));
            Assert.Multiple(() =>
            {
                Assert.That(released.Role, Is.EqualTo(LegRole.Hedge));
                Assert.That(released.Side, Is.EqualTo(delta < 0 ? Side.Buy : Side.Sell), $"block {block}");
                Assert.That(released.Quantity, Is.EqualTo(Math.Abs(delta)), $"block {block}: the short calls' delta at oracle {oracle}");
                Assert.That(released.Price, Is.EqualTo(delta < 0 ? oracle * 10_100 / 10_000 : oracle * 9_900 / 10_000), "the tolerance moves the limit against the maker");
            });
            sizes.Add(released.Quantity);
        }

        Assert.That(sizes.Distinct().Count(), Is.EqualTo(3), "the oracle's moves changed the size every block");
    }

    [Test]
    public void AQuoteIsPostedEveryBatchAroundFairValueWithTheSpreadTheMakersExposureWidens()
    {
        using MultiMarketVenueHarness harness = WithShortCalls(out _);
        Instruction quote = Instruction.Quote(Account(Maker), MarketAddress(Call0), 1, 0, quantity: 3, halfSpreadBps: 100, minHalfSpread: 2,
            vegaSpreadBps: 50, vegaUnit: 1_000_000, deltaSpreadBps: 20, deltaUnit: 1, maxPosition: 0);
        harness.Block(3, 10_000, 2_000, instructions: [quote]);

        foreach ((long block, long oracle) in new[] { (4L, 10_200L), (5L, 10_700L), (6L, 9_900L) })
        {
            List<PerpetualVenueEvent> events = harness.Block(block, oracle, 2_000);
            PortfolioGreeks greeks = harness.Engine.GetPortfolioGreeks(Account(Maker), Perp0);
            long fair = harness.FairValue(Call0);
            long half = ExpectedHalfSpread(fair, 100, 2, 50, 1_000_000, 20, 1, Rounded(greeks.Vega), Rounded(greeks.Delta));
            ManagementEvent[] released = [.. events.Managed(ManagementEventKind.Released).Where(e => e.Instruction == IdOf(quote))];
            Assert.Multiple(() =>
            {
                Assert.That(released.Select(e => (e.Role, e.Side, e.Price, e.Quantity)), Is.EquivalentTo(new[]
                {
                    (LegRole.Bid, Side.Buy, fair - half, 3L),
                    (LegRole.Ask, Side.Sell, fair + half, 3L),
                }), $"block {block}, fair value {fair}");
                Assert.That(half, Is.GreaterThan(Math.Max(2L, ((fair * 100) + 9_999) / 10_000)), "the short calls' vega and delta widen it");
            });
        }
    }

    /// <summary>
    /// A restored manager must know the positions its venue stated (they travel in the manager's snapshot), or a quote at
    /// its position limit offers the side it must withhold.
    /// </summary>
    [Test]
    public void ARestoredVenueStillWithholdsTheSideOfAQuoteAtItsPositionLimit()
    {
        using MultiMarketVenueHarness original = WithShortCalls(out _);
        using MultiMarketVenueHarness restored = WithShortCalls(out _);
        Instruction quote = Instruction.Quote(Account(Maker), MarketAddress(Call0), 1, 0, quantity: 3, halfSpreadBps: 100, minHalfSpread: 2,
            vegaSpreadBps: 0, vegaUnit: 1_000_000, deltaSpreadBps: 0, deltaUnit: 1, maxPosition: 5);
        original.Block(3, 10_000, 2_000, instructions: [quote]);
        restored.Block(3, 10_000, 2_000, instructions: [quote]);
        restored.RestoreFrom(restored.Snapshot());

        List<PerpetualVenueEvent> expected = original.Block(4, 10_200, 2_000);
        List<PerpetualVenueEvent> actual = restored.Block(4, 10_200, 2_000);
        Assert.Multiple(() =>
        {
            Assert.That(expected.Managed(ManagementEventKind.Released).Where(e => e.Instruction == IdOf(quote)).Select(e => e.Role), Is.EqualTo(new[] { LegRole.Bid }),
                "short 10 calls, beyond the limit of 5: the quote only bids");
            Assert.That(actual, Is.EqualTo(expected));
            Assert.That(restored.Manager(Call0).GetPosition(Account(Maker)), Is.EqualTo(-10));
        });
    }

    /// <summary>
    /// The position a venue stated to a manager before a snapshot decides what the next block's statement ends: a trader
    /// who closes its position in the block it submits a stop loses the stop, restored or not.
    /// </summary>
    [Test]
    public void ARestoredVenueStillEndsTheStopOfATraderWhoClosesInTheBlockItSubmitsIt()
    {
        using MultiMarketVenueHarness original = WithShortCalls(out long soldAt);
        using MultiMarketVenueHarness restored = WithShortCalls(out _);
        restored.RestoreFrom(restored.Snapshot());

        Instruction stop = Instruction.Stop(Account(Maker), MarketAddress(Call0), 1, 0, InstructionLeg.Stop(Side.Buy, StopKind.StopLoss, soldAt * 3, 10));
        PerpetualOrder[] close = [Order(Call0, Maker, Side.Buy, soldAt, 10), Order(Call0, Dealer, Side.Sell, soldAt, 10)];
        List<PerpetualVenueEvent> expected = original.Block(3, 10_000, 2_000, close, [stop]);
        List<PerpetualVenueEvent> actual = restored.Block(3, 10_000, 2_000, close, [stop]);
        Assert.Multiple(() =>
        {
            Assert.That(expected.Managed(ManagementEventKind.Cancelled).Where(e => e.Instruction == IdOf(stop)).Select(e => e.Cause), Is.EqualTo(new[] { CancelCause.PositionClosed }));
            Assert.That(actual.Managed(ManagementEventKind.Cancelled).Where(e => e.Instruction == IdOf(stop)).Select(e => e.Cause), Is.EqualTo(new[] { CancelCause.PositionClosed }));
            Assert.That(actual, Is.EqualTo(expected));
        });
    }

    [Test]
    public void AWarmBlockOfQuotesAndHedgesOnAMovingOracleAllocatesNothing()
    {
        // Expiries far beyond the run (so gamma is low: 500 lots make the oracle's 5 % moves worth whole lots of delta).
        // The maker is short calls and long puts, the dealer the other side: both quote both series and hedge on
        // perpetual 0, and as the oracle moves every block their deltas move opposite ways, so their hedges cross and
        // fill while the quotes (each around the same fair value) never do.
        using var harness = new MultiMarketVenueHarness(callExpiry: 10_000, putExpiry: 10_000, call1Expiry: 10_000);
        harness.Deposit(Dealer, 1_000_000_000_000);
        harness.Deposit(Maker, 1_000_000_000);
        harness.Block(1, 10_000, 2_000);
        long call = harness.FairValue(Call0);
        long put = harness.FairValue(Put0);
        harness.Block(2, 10_000, 2_000,
            [Order(Call0, Maker, Side.Sell, call, 500), Order(Call0, Dealer, Side.Buy, call, 500), Order(Put0, Maker, Side.Buy, put, 500), Order(Put0, Dealer, Side.Sell, put, 500)]);
        Instruction Quote(int trader, int series) => Instruction.Quote(Account(trader), MarketAddress(series), (UInt128)series, 0, quantity: 2, halfSpreadBps: 100,
            minHalfSpread: 2, vegaSpreadBps: 50, vegaUnit: 1_000_000, deltaSpreadBps: 20, deltaUnit: 1, maxPosition: 0);
        harness.Block(3, 10_000, 2_000, instructions:
        [
            Quote(Maker, Call0), Quote(Maker, Put0), Quote(Dealer, Call0), Quote(Dealer, Put0),
            Instruction.DeltaHedge(Account(Maker), MarketAddress(Perp0), 1, 0, targetDelta: 0, band: 0, maxQuantity: 1_000, toleranceBps: 100),
            Instruction.DeltaHedge(Account(Dealer), MarketAddress(Perp0), 1, 0, targetDelta: 0, band: 0, maxQuantity: 1_000, toleranceBps: 100),
        ]);

        OracleObservation?[] observations = new OracleObservation?[2];
        int quotes = 0, hedges = 0, hedgeFills = 0;
        void Run(long block)
        {
            observations[0] = new OracleObservation(block % 2 == 0 ? 10_000 : 10_500, block);
            observations[1] = new OracleObservation(block % 2 == 0 ? 2_000 : 2_020, block);
            ReadOnlySpan<PerpetualVenueEvent> events = harness.Venue.ProcessVerifiedBlock(
                new PerpetualVenueBlock { Block = block, Timestamp = Timestamp0 + block, Observations = observations, Volatilities = harness.Volatilities }, [], []);
            foreach (PerpetualVenueEvent e in events)
            {
                if (e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Management)
                {
                    ManagementEvent managed = e.Venue.Management;
                    quotes += managed.Kind == ManagementEventKind.Released && managed.Role is LegRole.Bid or LegRole.Ask ? 1 : 0;
                    hedges += managed.Kind == ManagementEventKind.Released && managed.Role == LegRole.Hedge ? 1 : 0;
                    hedgeFills += managed.Kind == ManagementEventKind.Fill && managed.Role == LegRole.Hedge ? 1 : 0;
                }
            }
        }

        for (long block = 4; block < 40; block++)
        {
            Run(block);
        }

        (quotes, hedges, hedgeFills) = (0, 0, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long block = 40; block < 240; block++)
        {
            Run(block);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(quotes, Is.EqualTo(200 * 4 * 2), "every block, each of the four quotes posts a bid and an ask");
            Assert.That(hedges, Is.EqualTo(200 * 2), "every block, the oracle's move puts both deltas off target, so both hedge");
            Assert.That(hedgeFills, Is.GreaterThanOrEqualTo(200 * 2), "and the two hedges cross and fill");
            Assert.That(
                harness.Venue.Exposures.ToArray().Select(x => (x.MarketIndex, x.Trader)),
                Is.EquivalentTo(new[] { Perp0, Call0, Put0 }.SelectMany(m => new[] { (m, Account(Maker)), (m, Account(Dealer)) })),
                "both traders' exposures are restated every block to the three managers where they quote or hedge, and only there");
        });
    }

    /// <summary>The quote's half-spread, computed independently in arbitrary precision.</summary>
    private static long ExpectedHalfSpread(long fair, int halfSpreadBps, long minHalfSpread, int vegaSpreadBps, long vegaUnit, int deltaSpreadBps, long deltaUnit, long vega, long delta)
    {
        BigInteger baseHalf = BigInteger.Max(minHalfSpread, CeilingDivide((BigInteger)fair * halfSpreadBps, 10_000));
        BigInteger widening = CeilingDivide(
            (BigInteger)fair * (((BigInteger)vegaSpreadBps * BigInteger.Abs(vega) * deltaUnit) + ((BigInteger)deltaSpreadBps * BigInteger.Abs(delta) * vegaUnit)),
            (BigInteger)10_000 * vegaUnit * deltaUnit);
        return (long)(baseHalf + widening);
    }

    private static BigInteger CeilingDivide(BigInteger numerator, BigInteger denominator) => (numerator + denominator - 1) / denominator;
}
