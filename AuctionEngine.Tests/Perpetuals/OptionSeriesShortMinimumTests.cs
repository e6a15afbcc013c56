using System.Numerics;
using AuctionEngine.Options;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>
/// The short option minimum of the portfolio margin (<see cref="PortfolioMarginParameters.ShortOptionMinimumPpm"/>):
/// per underlying the risk charge is the larger of the grid's worst loss and Σ short lots × ⌈ppm × contract size ×
/// oracle × underlying tick / 10^6⌉, here computed on its own in arbitrary precision (<see cref="ShortOptionMinimum"/>)
/// against the grid requirement of the same account with the minimum off.
/// </summary>
[TestFixture]
public sealed class OptionSeriesShortMinimumTests
{
    private const int Multiplier = 1_250_000;
    private const long UnderlyingTick = 10;
    private static readonly Address Long = Build.Trader(1);
    private static readonly Address Short = Build.Trader(2);

    /// <summary>A short position far out of the money: the grid loses (almost) nothing, so the requirement is the minimum, rounding per lot included.</summary>
    [TestCase(OptionType.Call, 30_000, 1)]
    [TestCase(OptionType.Call, 30_000, 7)]
    [TestCase(OptionType.Call, 30_000, 9_999)]
    [TestCase(OptionType.Call, 30_000, 10_000)]
    [TestCase(OptionType.Call, 30_000, 10_001)]
    [TestCase(OptionType.Call, 30_000, 1_000_000)]
    [TestCase(OptionType.Put, 3_000, 7)]
    [TestCase(OptionType.Put, 3_000, 10_000)]
    [TestCase(OptionType.Put, 3_000, 1_000_000)]
    public void AShortDeepOutOfTheMoneyPositionIsChargedExactlyTheMinimum(OptionType type, long strike, int ppm)
    {
        const long contractSize = 3;
        const long lots = 1_234;
        (Int128 gridMaintenance, _) = Requirements(0, type, strike, contractSize, lots, OptionSetup.Oracle, 0.5);
        (Int128 maintenance, Int128 initial) = Requirements(ppm, type, strike, contractSize, lots, OptionSetup.Oracle, 0.5);

        // 3 × 10,000 × 10 = 300,000 atoms of notional a lot: ppm 1 and 7 round up per lot (0.3 → 1, 2.1 → 3).
        BigInteger minimum = lots * ShortOptionMinimum.PerLot(ppm, OptionSetup.Oracle, UnderlyingTick, contractSize);
        Assert.Multiple(() =>
        {
            Assert.That((BigInteger)(gridMaintenance / 1_000_000), Is.LessThan(minimum), "the grid alone charges less than the minimum");
            Assert.That((BigInteger)maintenance, Is.EqualTo(minimum * 1_000_000));
            Assert.That((BigInteger)initial, Is.EqualTo(ShortOptionMinimum.Initial(minimum, Multiplier) * 1_000_000));
        });
    }

    /// <summary>
    /// Around the cross-over: the smallest ppm whose minimum reaches the grid loss, two either side, and the range's
    /// ends. Below it the requirements are the grid's exactly, from it on the minimum's.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property TheRequirementIsTheLargerOfTheGridLossAndTheMinimumAtAndAroundTheCrossOver() => Prop.ForAll(
        Arb.From(
            from type in Gen.Elements(OptionType.Call, OptionType.Put)
            from moneynessPercent in Gen.Choose(100, 160)
            from oracle in Gen.Choose(2_000, 50_000)
            from volatilityPercent in Gen.Choose(10, 150)
            from contractSize in Gen.Choose(1, 40)
            from lots in Gen.Choose(1, 500)
            select (type, moneynessPercent, oracle, volatilityPercent, contractSize, lots)),
        c =>
        {
            (OptionType type, int moneynessPercent, int oracle, int volatilityPercent, int contractSize, int lots) = c;
            long strike = type == OptionType.Call ? oracle * moneynessPercent / 100L : oracle * 100L / moneynessPercent;
            double volatility = volatilityPercent / 100.0;
            (Int128 gridMaintenance, Int128 gridInitial) = Requirements(0, type, strike, contractSize, lots, oracle, volatility);
            BigInteger grid = (BigInteger)(gridMaintenance / 1_000_000);
            BigInteger Minimum(int ppm) => lots * ShortOptionMinimum.PerLot(ppm, oracle, UnderlyingTick, contractSize);

            int low = 0, high = 1_000_000;
            while (low < high)
            {
                int middle = (low + high) / 2;
                (low, high) = Minimum(middle) >= grid ? (low, middle) : (middle + 1, high);
            }

            var ppms = new SortedSet<int> { 0, 1, 10_000, 1_000_000 };
            for (int d = -2; d <= 2; d++)
            {
                ppms.Add(Math.Clamp(low + d, 0, 1_000_000));
            }

            foreach (int ppm in ppms)
            {
                BigInteger minimum = Minimum(ppm);
                (Int128 maintenance, Int128 initial) = Requirements(ppm, type, strike, contractSize, lots, oracle, volatility);
                BigInteger expectedInitial = minimum >= grid ? ShortOptionMinimum.Initial(minimum, Multiplier) * 1_000_000 : (BigInteger)gridInitial;
                if ((BigInteger)maintenance != BigInteger.Max(grid, minimum) * 1_000_000 || (BigInteger)initial != expectedInitial)
                {
                    return false.Label($"ppm {ppm}: grid {grid}, minimum {minimum}; engine {maintenance}, {initial}; expected initial {expectedInitial}");
                }
            }

            return true.ToProperty();
        });

    /// <summary>
    /// Selling a deep out-of-the-money option from a flat account, with the collateral at, one atom below and one
    /// above the initial requirement of some number of lots: the most lots that collateral covers under the minimum
    /// are admitted, one more lot is refused.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property AdmissionTakesTheLotsTheCollateralCoversUnderTheMinimumAndRefusesOneMore() => Prop.ForAll(
        Arb.From(
            from type in Gen.Elements(OptionType.Call, OptionType.Put)
            from ppm in Gen.OneOf(Gen.Choose(1, 1_000_000), Gen.Elements(1, 3, 10_000, 1_000_000))
            from oracle in Gen.Choose(2_000, 50_000)
            from contractSize in Gen.Choose(1, 50)
            from target in Gen.Choose(1, 99_998)
            from offset in Gen.Choose(-1, 1)
            select (type, ppm, oracle, contractSize, target, offset)),
        c =>
        {
            (OptionType type, int ppm, int oracle, int contractSize, int target, int offset) = c;
            long strike = type == OptionType.Call ? oracle * 5L : Math.Max(1, oracle / 5L);
            BigInteger perLot = ShortOptionMinimum.PerLot(ppm, oracle, UnderlyingTick, contractSize);
            BigInteger Requirement(long lots) => ShortOptionMinimum.Initial(lots * perLot, Multiplier);
            BigInteger deposit = Requirement(target) + offset;
            long covered = (long)(deposit * 1_000_000 / (perLot * Multiplier));
            while (Requirement(covered + 1) <= deposit)
            {
                covered++;
            }

            while (covered > 0 && Requirement(covered) > deposit)
            {
                covered--;
            }

            AdmissionStatus AdmitSelling(long lots)
            {
                PerpetualEngine engine = Engine(ppm);
                int series = engine.ListSeries(OptionSetup.Series(type, strike, contractSize: contractSize));
                engine.Deposit(Short, (UInt128)deposit);
                OptionSetup.Block(engine, 1, oracle, 0.3);
                return OptionSetup.AdmitOne(engine, series, Order.Limit(7, Short, Side.Sell, 1_000_000, lots, 0)).Status;
            }

            AdmissionStatus atCut = covered > 0 ? AdmitSelling(covered) : AdmissionStatus.Admitted;
            AdmissionStatus beyond = AdmitSelling(covered + 1);
            return (atCut == AdmissionStatus.Admitted && beyond == AdmissionStatus.InsufficientMargin)
                .Label($"deposit {deposit}, per lot {perLot}, covered {covered}: {atCut}, then {beyond}");
        });

    /// <summary>
    /// The hostile trader: 10^5 calls struck at twice the oracle, sold against 10^7 atoms (0.1% of their notional).
    /// The grid alone admits it, and a gap past the strike then leaves a loss nobody margined; the minimum refuses it.
    /// </summary>
    [Test]
    public void AHostileTraderCannotSellAHundredThousandFarOutOfTheMoneyCallsAgainstAlmostNoCollateral()
    {
        const long lots = 100_000;
        const long strike = 2 * OptionSetup.Oracle;
        const long collateral = 10_000_000;
        Order sell = Order.Limit(7, Short, Side.Sell, 1_000_000, lots, 0);

        PerpetualEngine gridOnly = HostileSetup(new PortfolioMarginParameters(ShortOptionMinimumPpm: 0), strike, collateral, out int gridSeries);
        PerpetualEngine engine = HostileSetup(new PortfolioMarginParameters(), strike, collateral, out int series);

        // With the default minimum of 1%, each lot needs ⌈1% × 10,000 × 10⌉ = 1,000 atoms, 1,250 initially: the
        // collateral covers 8,000 lots.
        Assert.Multiple(() =>
        {
            Assert.That(OptionSetup.AdmitOne(gridOnly, gridSeries, sell).Status, Is.EqualTo(AdmissionStatus.Admitted));
            Assert.That(OptionSetup.AdmitOne(engine, series, sell).Status, Is.EqualTo(AdmissionStatus.InsufficientMargin));
            Assert.That(OptionSetup.AdmitOne(engine, series, Order.Limit(8, Short, Side.Sell, 1_000_000, 8_000, 0)).Status, Is.EqualTo(AdmissionStatus.Admitted));
            Assert.That(OptionSetup.AdmitOne(engine, series, Order.Limit(9, Short, Side.Sell, 1_000_000, 8_001, 0)).Status, Is.EqualTo(AdmissionStatus.InsufficientMargin));
        });

        // Had the grid alone let it through: the short holds 10^5 calls, and a gap to 1.5 × the strike costs it
        // 10^5 × 10,000 × 10 atoms, a thousand times its collateral.
        OptionSetup.Trade(gridOnly, gridSeries, 1, 1, Short, Long, -lots);
        Assert.That(gridOnly.IsLiquidatable(Short), Is.False);
        OptionSetup.Block(gridOnly, 100, 3 * OptionSetup.Oracle, 0.5);
        gridOnly.SettleSeries(gridSeries, 3 * OptionSetup.Oracle);
        Assert.That(gridOnly.GetCollateral(Short), Is.LessThan(-(Int128)900 * collateral));
    }

    /// <summary>A long option is never charged the minimum: with long positions only, every ppm gives the grid's requirements.</summary>
    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property LongOptionsAreNeverChargedTheMinimum() => Prop.ForAll(
        Arb.From(
            from count in Gen.Choose(1, 4)
            from strikes in Gen.ArrayOf(Gen.Choose(2_000, 40_000), count)
            from lots in Gen.ArrayOf(Gen.Choose(1, 1_000), count)
            from calls in Gen.ArrayOf(Gen.Elements(true, false), count)
            from hedge in Gen.Choose(-300, 300)
            from ppm in Gen.OneOf(Gen.Choose(1, 1_000_000), Gen.Elements(10_000, 1_000_000))
            select (strikes, lots, calls, hedge, ppm)),
        c =>
        {
            (int[] strikes, int[] lots, bool[] calls, int hedge, int ppm) = c;
            (Int128, Int128) Of(int minimumPpm)
            {
                PerpetualEngine engine = Engine(minimumPpm);
                int[] series = [.. strikes.Select((k, i) => engine.ListSeries(OptionSetup.Series(calls[i] ? OptionType.Call : OptionType.Put, k, contractSize: 2)))];
                engine.Deposit(Long, 1_000_000_000_000);
                engine.Deposit(Short, 1_000_000_000_000);
                OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.7);
                for (int i = 0; i < series.Length; i++)
                {
                    OptionSetup.Trade(engine, series[i], 1, 50, Long, Short, lots[i]);
                }

                if (hedge != 0)
                {
                    OptionSetup.Trade(engine, 0, UnderlyingTick, OptionSetup.Oracle, Long, Short, hedge);
                }

                return (engine.GetMaintenanceRequirementScaled(Long), engine.GetInitialRequirementScaled(Long));
            }

            return (Of(ppm) == Of(0)).Label($"ppm {ppm}");
        });

    /// <summary>
    /// The charge is per underlying: far out-of-the-money shorts on one underlying pay their minimum while a short near
    /// the money on another pays its grid loss, each the larger on its own underlying (a maximum over the account as a
    /// whole would charge less).
    /// </summary>
    [Test]
    public void TheMinimumIsTheLargerChargeOfEachUnderlyingOnItsOwn()
    {
        const int ppm = 10_000;
        PerpetualEngine Both(bool farShorts, bool nearShort, int minimumPpm, out int far, out int near)
        {
            var engine = new PerpetualEngine([
                PerpetualSetup.Perpetual(market: OptionSetup.PerpMarket(), initialMarginPpm: 100_000, maintenanceMarginPpm: 50_000),
                PerpetualSetup.Perpetual(market: OptionSetup.PerpMarket(), initialMarginPpm: 100_000, maintenanceMarginPpm: 50_000)])
            {
                PortfolioMargin = new PortfolioMarginParameters(ShortOptionMinimumPpm: minimumPpm),
            };
            far = engine.ListSeries(new OptionSeries(OptionSetup.PremiumMarket(), 0, OptionType.Call, 40_000, 100, OptionSetup.Timestamp + OptionSetup.ThirtyDays, 4, 100_000, 0));
            near = engine.ListSeries(new OptionSeries(OptionSetup.PremiumMarket(), 1, OptionType.Put, 5_000, 100, OptionSetup.Timestamp + OptionSetup.ThirtyDays, 1, 100_000, 0));
            engine.Deposit(Long, 1_000_000_000_000);
            engine.Deposit(Short, 1_000_000_000_000);
            engine.UpdateOracle([OptionSetup.Oracle, 5_000]);
            engine.UpdateVolatilities(1, OptionSetup.Timestamp + 1, [0.5, 0.8]);
            if (farShorts)
            {
                OptionSetup.Trade(engine, far, 1, 1, Short, Long, -50);
            }

            if (nearShort)
            {
                OptionSetup.Trade(engine, near, 1, 400, Short, Long, -3);
            }

            return engine;
        }

        Int128 nearGrid = Both(false, true, 0, out _, out _).GetMaintenanceRequirementScaled(Short) / 1_000_000;
        Int128 farGrid = Both(true, false, 0, out _, out _).GetMaintenanceRequirementScaled(Short) / 1_000_000;
        BigInteger farMinimum = 50 * ShortOptionMinimum.PerLot(ppm, OptionSetup.Oracle, UnderlyingTick, 4);
        BigInteger nearMinimum = 3 * ShortOptionMinimum.PerLot(ppm, 5_000, UnderlyingTick, 1);
        PerpetualEngine engine = Both(true, true, ppm, out _, out _);
        Assert.Multiple(() =>
        {
            Assert.That((BigInteger)farGrid, Is.LessThan(farMinimum), "the far calls' grid loss is below their minimum");
            Assert.That((BigInteger)nearGrid, Is.GreaterThan(nearMinimum), "the near put's grid loss is above its minimum");
            Assert.That((BigInteger)engine.GetMaintenanceRequirementScaled(Short), Is.EqualTo((farMinimum + (BigInteger)nearGrid) * 1_000_000));
        });
    }

    private static PerpetualEngine Engine(int ppm)
    {
        PerpetualEngine engine = OptionSetup.Engine();
        engine.PortfolioMargin = new PortfolioMarginParameters(ShortOptionMinimumPpm: ppm);
        return engine;
    }

    /// <summary>The maintenance and initial requirements (scaled by 10^6) of an account short <paramref name="lots"/> of one series.</summary>
    private static (Int128 Maintenance, Int128 Initial) Requirements(int ppm, OptionType type, long strike, long contractSize, long lots, long oracle, double volatility)
    {
        PerpetualEngine engine = Engine(ppm);
        int series = engine.ListSeries(OptionSetup.Series(type, strike, contractSize: contractSize));
        engine.Deposit(Long, 1_000_000_000_000_000);
        engine.Deposit(Short, 1_000_000_000_000_000);
        OptionSetup.Block(engine, 1, oracle, volatility);
        OptionSetup.Trade(engine, series, 1, 1, Short, Long, -lots);
        return (engine.GetMaintenanceRequirementScaled(Short), engine.GetInitialRequirementScaled(Short));
    }

    private static PerpetualEngine HostileSetup(PortfolioMarginParameters parameters, long strike, long collateral, out int series)
    {
        PerpetualEngine engine = OptionSetup.Engine();
        engine.PortfolioMargin = parameters;
        series = engine.ListSeries(OptionSetup.Series(OptionType.Call, strike));
        engine.Deposit(Short, (UInt128)collateral);
        engine.Deposit(Long, 1_000_000_000_000);
        OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.5);
        return engine;
    }
}
