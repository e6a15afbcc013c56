using AuctionEngine.Options;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>Option series inside the perpetual engine: premium fills, cash settlement, expiry, portfolio margin, Greeks.</summary>
[TestFixture]
public sealed class OptionSeriesTests
{
    private static readonly Address Long = Build.Trader(1);
    private static readonly Address Short = Build.Trader(2);
    private static readonly Address[] Both = [Long, Short];

    [TestCase(OptionType.Call)]
    [TestCase(OptionType.Put)]
    public void CashSettlementIsExactAtAndOneTickEitherSideOfTheStrike(OptionType type)
    {
        const long strike = 10_000;
        const long contractSize = 3;
        foreach (long settlement in new[] { strike - 1, strike, strike + 1, strike - 2_345, strike + 2_345 })
        {
            PerpetualEngine engine = OptionSetup.Engine();
            int series = engine.ListSeries(OptionSetup.Series(type, strike, expiryBlock: 5, contractSize, tickSize: 7));
            engine.Deposit(Long, 10_000_000_000);
            engine.Deposit(Short, 10_000_000_000);
            OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.6);
            OptionSetup.Trade(engine, series, 7, 123, Long, Short, 17);
            Int128 longBefore = engine.GetCollateral(Long);
            Int128 shortBefore = engine.GetCollateral(Short);

            OptionSetup.Block(engine, 5, OptionSetup.Oracle, 0.6);
            SeriesSettlement result = engine.SettleSeries(series, settlement);

            long intrinsic = Math.Max(type == OptionType.Call ? settlement - strike : strike - settlement, 0);
            Int128 perLot = (Int128)intrinsic * contractSize * 10; // underlying tick size 10 quote atoms per lot
            Assert.Multiple(() =>
            {
                Assert.That(result.PayoffPerLot, Is.EqualTo(perLot), $"settlement {settlement}");
                Assert.That(result.OpenInterest, Is.EqualTo(17));
                Assert.That(result.Paid, Is.EqualTo(perLot * 17));
                Assert.That(engine.GetCollateral(Long) - longBefore, Is.EqualTo(perLot * 17));
                Assert.That(engine.GetCollateral(Short) - shortBefore, Is.EqualTo(-perLot * 17));
                Assert.That(engine.GetPosition(Long, series), Is.Zero);
                Assert.That(engine.GetPosition(Short, series), Is.Zero);
                Assert.That(engine.GetSeriesOpenInterest(series), Is.Zero);
                Assert.That(engine.IsSeriesSettled(series), Is.True);
                Assert.That(PerpetualSetup.ConservationGap(engine, Both), Is.EqualTo(Int128.Zero));
            });
        }
    }

    [Test]
    public void SettlementBeforeTheExpiryBlockOrTwiceIsRefused()
    {
        PerpetualEngine engine = OptionSetup.Engine();
        int series = engine.ListSeries(OptionSetup.Series(OptionType.Call, 10_000, expiryBlock: 5));
        OptionSetup.Block(engine, 4, OptionSetup.Oracle, 0.5);
        Assert.Throws<InvalidOperationException>(() => engine.SettleSeries(series, 10_000));
        OptionSetup.Block(engine, 5, OptionSetup.Oracle, 0.5);
        engine.SettleSeries(series, 10_000);
        Assert.Throws<InvalidOperationException>(() => engine.SettleSeries(series, 10_000));
    }

    [Test]
    public void AnExpiredSeriesRejectsOrdersFromItsExpiryBlockOnAndAfterSettlement()
    {
        PerpetualEngine engine = OptionSetup.Engine();
        int series = engine.ListSeries(OptionSetup.Series(OptionType.Put, 9_000, expiryBlock: 10));
        engine.Deposit(Long, 1_000_000_000);
        Order buy = Order.Limit(1, Long, Side.Buy, 5, 1, 0);

        OptionSetup.Block(engine, 9, OptionSetup.Oracle, 0.5);
        Assert.That(OptionSetup.AdmitOne(engine, series, buy).Status, Is.EqualTo(AdmissionStatus.Admitted));
        OptionSetup.Block(engine, 10, OptionSetup.Oracle, 0.5);
        Assert.That(OptionSetup.AdmitOne(engine, series, buy).Status, Is.EqualTo(AdmissionStatus.SeriesExpired));
        engine.SettleSeries(series, 8_000);
        OptionSetup.Block(engine, 11, OptionSetup.Oracle, 0.5);
        Assert.That(OptionSetup.AdmitOne(engine, series, buy).Status, Is.EqualTo(AdmissionStatus.SeriesExpired));
        Assert.That(OptionSetup.AdmitOne(engine, series + 1, buy).Status, Is.EqualTo(AdmissionStatus.UnknownMarket));
    }

    [Test]
    public void PremiumAndFeesMoveExactly()
    {
        PerpetualEngine engine = OptionSetup.Engine();
        int series = engine.ListSeries(OptionSetup.Series(OptionType.Call, 10_500, tickSize: 3, feePpm: 700));
        engine.Deposit(Long, 1_000_000_000);
        engine.Deposit(Short, 1_000_000_000);
        OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.7);

        OptionSetup.Trade(engine, series, 3, 1_001, Long, Short, 13);

        Int128 quote = 13 * 1_001 * 3;
        Int128 fee = (quote * 700 + 999_999) / 1_000_000;
        Assert.Multiple(() =>
        {
            Assert.That(engine.GetCollateral(Long), Is.EqualTo(1_000_000_000 - quote - fee));
            Assert.That(engine.GetCollateral(Short), Is.EqualTo(1_000_000_000 + quote - fee));
            Assert.That(engine.FeeAccount, Is.EqualTo(2 * fee));
            Assert.That(engine.GetPosition(Long, series), Is.EqualTo(13));
            Assert.That(engine.GetPosition(Short, series), Is.EqualTo(-13));
            Assert.That(engine.GetSeriesOpenInterest(series), Is.EqualTo(13));
            Assert.That(PerpetualSetup.ConservationGap(engine, Both), Is.EqualTo(Int128.Zero));
        });
    }

    [Test]
    public void NetCollateralCountsOptionsAtTheirMarkRoundedDown()
    {
        PerpetualEngine engine = OptionSetup.Engine();
        int series = engine.ListSeries(OptionSetup.Series(OptionType.Call, 10_200, contractSize: 2));
        engine.Deposit(Long, 1_000_000_000);
        engine.Deposit(Short, 1_000_000_000);
        OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.55);
        OptionSetup.Trade(engine, series, 1, 500, Long, Short, 7);

        double years = OptionTime.YearsToExpiry(OptionSetup.Timestamp + 1, OptionSetup.Timestamp + OptionSetup.ThirtyDays);
        double mark = Black76.Price(OptionType.Call, OptionSetup.Oracle, 10_200, years, 0.55) * 2 * 10;
        Assert.Multiple(() =>
        {
            Assert.That(engine.GetSeriesMark(series), Is.EqualTo(mark).Within(1e-9).Percent);
            Assert.That(engine.GetNetCollateral(Long), Is.EqualTo(engine.GetCollateral(Long) + (Int128)Math.Floor(7 * engine.GetSeriesMark(series))));
            Assert.That(engine.GetNetCollateral(Short), Is.EqualTo(engine.GetCollateral(Short) + (Int128)Math.Floor(-7 * engine.GetSeriesMark(series))));
        });
    }

    [Test]
    public void AHedgedLongCallNeedsLessMarginThanANakedOne()
    {
        foreach (int sign in new[] { 1, -1 })
        {
            PerpetualEngine naked = OptionSetup.Engine();
            PerpetualEngine hedged = OptionSetup.Engine();
            foreach (PerpetualEngine engine in new[] { naked, hedged })
            {
                int series = engine.ListSeries(OptionSetup.Series(OptionType.Call, 10_000, contractSize: 100));
                engine.Deposit(Long, 100_000_000_000);
                engine.Deposit(Short, 100_000_000_000);
                OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.6);
                OptionSetup.Trade(engine, series, 1, 50_000, Long, Short, sign * 10);
            }

            // Delta of 10 calls on 100 lots each at the money ≈ 0.5 × 1,000 lots: hedge with the perpetual's opposite.
            long hedge = -(long)Math.Round(hedged.GetPortfolioGreeks(Long, 0).Delta);
            Assert.That(Math.Abs(hedge), Is.InRange(400, 600));
            OptionSetup.Trade(hedged, 0, 10, OptionSetup.Oracle, Long, Short, hedge);

            Assert.That(Math.Abs(hedged.GetPortfolioGreeks(Long, 0).Delta), Is.LessThan(1));
            Assert.That(hedged.GetMaintenanceRequirementScaled(Long), Is.LessThan(naked.GetMaintenanceRequirementScaled(Long)), $"sign {sign}");
            Assert.That(hedged.GetInitialRequirementScaled(Long), Is.LessThan(naked.GetInitialRequirementScaled(Long)), $"sign {sign}");
        }
    }

    [Test]
    public void AnAccountWithoutOptionsKeepsTheLinearRequirements()
    {
        PerpetualEngine engine = OptionSetup.Engine();
        engine.ListSeries(OptionSetup.Series(OptionType.Call, 10_000));
        engine.Deposit(Long, 100_000_000);
        engine.Deposit(Short, 100_000_000);
        OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.6);
        OptionSetup.Trade(engine, 0, 10, OptionSetup.Oracle, Long, Short, 37);

        // 37 lots × 10,000 ticks × 10 atoms × 50,000 ppm maintenance and 100,000 ppm initial.
        Assert.That(engine.HasOptionPositions(Long), Is.False);
        Assert.That(engine.GetMaintenanceRequirementScaled(Long), Is.EqualTo((Int128)37 * 10_000 * 10 * 50_000));
        Assert.That(engine.GetInitialRequirementScaled(Long), Is.EqualTo((Int128)37 * 10_000 * 10 * 100_000));
    }

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property MarginNeverFallsAsAPositionGrows() => Prop.ForAll(
        Arb.From(
            from strike in Gen.Choose(7_000, 13_000)
            from volatilityPercent in Gen.Choose(1, 150)
            from type in Gen.Elements(OptionType.Call, OptionType.Put)
            from sign in Gen.Elements(1, -1)
            select (strike, volatilityPercent, type, sign)),
        c =>
        {
            (int strike, int volatilityPercent, OptionType type, int sign) = c;
            Int128 previous = -1;
            for (long lots = 1; lots <= 64; lots *= 2)
            {
                PerpetualEngine engine = OptionSetup.Engine();
                int series = engine.ListSeries(OptionSetup.Series(type, strike, contractSize: 10));
                engine.Deposit(Long, 100_000_000_000);
                engine.Deposit(Short, 100_000_000_000);
                OptionSetup.Block(engine, 1, OptionSetup.Oracle, volatilityPercent / 100.0);
                OptionSetup.Trade(engine, series, 1, 1_000, Long, Short, sign * lots);
                Int128 requirement = engine.GetMaintenanceRequirementScaled(Long);
                if (requirement < previous || engine.GetInitialRequirementScaled(Long) < requirement)
                {
                    return false;
                }

                previous = requirement;
            }

            // Far enough out of the money at a low volatility, no scenario reaches the strike and the requirement is 0.
            return true;
        });

    /// <summary>
    /// Selling options from a flat account: the initial requirement of the worst case (holding the lots) is what the
    /// account holds once filled; the order is admitted with exactly that collateral plus its fee, and refused one
    /// atom below.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 40)]
    public Property AdmissionCutsOffAtExactlyTheInitialPortfolioRequirement() => Prop.ForAll(
        Arb.From(
            from strike in Gen.Choose(8_000, 12_000)
            from volatilityPercent in Gen.Choose(10, 120)
            from type in Gen.Elements(OptionType.Call, OptionType.Put)
            from lots in Gen.Choose(1, 40)
            select (strike, volatilityPercent, type, lots)),
        c =>
        {
            (int strike, int volatilityPercent, OptionType type, int lots) = c;
            const long limit = 1_000_000; // far above any mark: selling there loses nothing against it
            const int feePpm = 300;
            PerpetualEngine filled = OptionSetup.Engine();
            int series = filled.ListSeries(OptionSetup.Series(type, strike, contractSize: 10, feePpm: feePpm));
            filled.Deposit(Short, 1_000_000_000_000);
            filled.Deposit(Long, 1_000_000_000_000);
            OptionSetup.Block(filled, 1, OptionSetup.Oracle, volatilityPercent / 100.0);
            OptionSetup.Trade(filled, series, 1, limit, Short, Long, -lots);
            Int128 requirement = filled.GetInitialRequirementScaled(Short) / 1_000_000;
            Int128 fee = (((Int128)lots * limit * feePpm) + 999_999) / 1_000_000;
            Int128 cutOff = requirement + fee;

            bool Admitted(Int128 deposit)
            {
                PerpetualEngine engine = OptionSetup.Engine();
                int s = engine.ListSeries(OptionSetup.Series(type, strike, contractSize: 10, feePpm: feePpm));
                engine.Deposit(Short, (UInt128)deposit);
                OptionSetup.Block(engine, 1, OptionSetup.Oracle, volatilityPercent / 100.0);
                return OptionSetup.AdmitOne(engine, s, Order.Limit(7, Short, Side.Sell, limit, lots, 0)).Status == AdmissionStatus.Admitted;
            }

            return (requirement > 0 && Admitted(cutOff) && !Admitted(cutOff - 1)).Label($"requirement {requirement}, fee {fee}");
        });

    [Test]
    public void PortfolioGreeksAreTheSumOfEachPositionsAnalytics()
    {
        PerpetualEngine engine = OptionSetup.Engine();
        (OptionType Type, long Strike, long Contract, long Lots, double Volatility)[] book =
        [
            (OptionType.Call, 9_500, 3, 12, 0.45),
            (OptionType.Put, 9_500, 1, -7, 0.50),
            (OptionType.Call, 11_000, 5, -4, 0.55),
            (OptionType.Put, 12_000, 2, 9, 0.65),
        ];
        int[] markets = [.. book.Select(b => engine.ListSeries(OptionSetup.Series(b.Type, b.Strike, contractSize: b.Contract)))];
        engine.Deposit(Long, 1_000_000_000_000);
        engine.Deposit(Short, 1_000_000_000_000);
        engine.UpdateOracle([OptionSetup.Oracle]);
        engine.UpdateVolatilities(1, OptionSetup.Timestamp, [.. book.Select(b => b.Volatility)]);
        for (int i = 0; i < book.Length; i++)
        {
            OptionSetup.Trade(engine, markets[i], 1, 100, Long, Short, book[i].Lots);
        }

        OptionSetup.Trade(engine, 0, 10, OptionSetup.Oracle, Long, Short, -25);

        double years = OptionTime.YearsToExpiry(OptionSetup.Timestamp, OptionSetup.Timestamp + OptionSetup.ThirtyDays);
        double delta = -25, gamma = 0, vega = 0, theta = 0;
        foreach ((OptionType type, long strike, long contract, long lots, double volatility) in book)
        {
            OptionValuation v = Black76.Value(type, OptionSetup.Oracle, strike, years, volatility);
            delta += lots * contract * v.Delta;
            gamma += lots * contract * v.Gamma;
            vega += lots * contract * 10 * v.Vega;
            theta += lots * contract * 10 * v.Theta;
        }

        PortfolioGreeks greeks = engine.GetPortfolioGreeks(Long, 0);
        PortfolioGreeks opposite = engine.GetPortfolioGreeks(Short, 0);
        Assert.Multiple(() =>
        {
            Assert.That(greeks.Delta, Is.EqualTo(delta).Within(1e-9).Percent);
            Assert.That(greeks.Gamma, Is.EqualTo(gamma).Within(1e-9).Percent);
            Assert.That(greeks.Vega, Is.EqualTo(vega).Within(1e-9).Percent);
            Assert.That(greeks.Theta, Is.EqualTo(theta).Within(1e-9).Percent);
            Assert.That(opposite.Delta, Is.EqualTo(-delta).Within(1e-9).Percent);
            Assert.That(opposite.Vega, Is.EqualTo(-vega).Within(1e-9).Percent);
        });
    }

    [Test]
    public void AnAccountBelowItsPortfolioMaintenanceIsLiquidatedAtThePenalisedMark()
    {
        PerpetualEngine engine = OptionSetup.Engine();
        engine.PortfolioMargin = new PortfolioMarginParameters(LiquidationPenaltyPpm: 20_000, LiquidationPortionPpm: 500_000);
        int series = engine.ListSeries(OptionSetup.Series(OptionType.Call, 10_000, contractSize: 1));
        engine.Deposit(Long, 1_000_000_000);
        engine.Deposit(Short, 150_000);
        OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.6);
        OptionSetup.Trade(engine, series, 1, 7_000, Short, Long, -9);
        Assert.That(engine.ScanLiquidations().ToArray(), Is.Empty);

        // The underlying rallies: the short calls' loss takes the account below its grid requirement.
        OptionSetup.Block(engine, 2, 11_000, 0.6);
        Assert.That(engine.IsLiquidatable(Short), Is.True);
        LiquidationOrder[] orders = engine.ScanLiquidations().ToArray();
        double markTicks = engine.GetSeriesMark(series);
        long penalty = (11_000L * 10 * 20_000 + 999_999) / 1_000_000; // 2% of one lot's underlying notional, in premium ticks of 1 atom
        Assert.That(orders, Has.Length.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(orders[0].Account, Is.EqualTo(Short));
            Assert.That(orders[0].MarketIndex, Is.EqualTo(series));
            Assert.That(orders[0].Side, Is.EqualTo(Side.Buy));
            Assert.That(orders[0].Quantity, Is.EqualTo(5)); // ⌈9 × 50%⌉
            Assert.That(orders[0].LimitPrice, Is.EqualTo((long)Math.Ceiling(markTicks) + penalty));
            Assert.That(engine.IsLiquidatable(Long), Is.False);
            Assert.That(engine.GetNetCollateral(Short), Is.GreaterThan(Int128.Zero));
        });
    }
    [Test]
    public void VolatilitiesFromASurfaceAreReadAtEachSeriesLogMoneynessAndYears()
    {
        PerpetualEngine engine = OptionSetup.Engine();
        int low = engine.ListSeries(OptionSetup.Series(OptionType.Put, 8_500));
        int high = engine.ListSeries(OptionSetup.Series(OptionType.Call, 12_000));
        var surface = new VolatilitySurface([new SviSmile(0.05, new SviParameters(0.002, 0.05, -0.4, 0.0, 0.1)), new SviSmile(0.5, new SviParameters(0.02, 0.1, -0.3, 0.0, 0.2))]);
        engine.UpdateOracle([OptionSetup.Oracle]);
        engine.UpdateVolatilities(1, OptionSetup.Timestamp, [surface]);

        double years = OptionTime.YearsToExpiry(OptionSetup.Timestamp, OptionSetup.Timestamp + OptionSetup.ThirtyDays);
        foreach ((int market, OptionType type, long strike) in new[] { (low, OptionType.Put, 8_500L), (high, OptionType.Call, 12_000L) })
        {
            double volatility = surface.ImpliedVolatility(Math.Log(strike / (double)OptionSetup.Oracle), years);
            double mark = Black76.Price(type, OptionSetup.Oracle, strike, years, volatility) * 10;
            Assert.That(engine.GetSeriesMark(market), Is.EqualTo(mark).Within(1e-9).Percent);
        }

        Assert.Throws<ArgumentException>(() => engine.UpdateVolatilities(2, OptionSetup.Timestamp, [null]));
        Assert.Throws<ArgumentException>(() => engine.UpdateVolatilities(2, OptionSetup.Timestamp, [0.5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.UpdateVolatilities(2, OptionSetup.Timestamp, [0.5, double.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.UpdateVolatilities(0, OptionSetup.Timestamp, [0.5, 0.5]));
    }

    [Test]
    public void SeriesOrdersBeforeTheBlocksVolatilitiesAreRefusedByAnException()
    {
        PerpetualEngine engine = OptionSetup.Engine();
        int first = engine.ListSeries(OptionSetup.Series(OptionType.Call, 10_000));
        engine.Deposit(Long, 1_000_000_000);
        OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.5);
        Assert.That(OptionSetup.AdmitOne(engine, first, Order.Limit(1, Long, Side.Buy, 10, 1, 0)).IsAdmitted, Is.True);

        // A newly listed series has no volatility until the next UpdateVolatilities.
        int second = engine.ListSeries(OptionSetup.Series(OptionType.Put, 10_000));
        Assert.Throws<InvalidOperationException>(() => OptionSetup.AdmitOne(engine, second, Order.Limit(2, Long, Side.Buy, 10, 1, 0)));
        OptionSetup.Block(engine, 2, OptionSetup.Oracle, 0.5);
        Assert.That(OptionSetup.AdmitOne(engine, second, Order.Limit(3, Long, Side.Buy, 10, 1, 0)).IsAdmitted, Is.True);
    }

    [Test]
    public void AShortLeftInDebtBySettlementIsCoveredByTheFundAtTheEndOfTheBlock()
    {
        PerpetualEngine engine = OptionSetup.Engine();
        int series = engine.ListSeries(OptionSetup.Series(OptionType.Call, 10_000, expiryBlock: 3));
        engine.DepositInsuranceFund(10_000_000);
        engine.Deposit(Long, 1_000_000_000);
        engine.Deposit(Short, 1_000);
        OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.5);
        OptionSetup.Trade(engine, series, 1, 100, Long, Short, 4);

        OptionSetup.Block(engine, 3, 12_000, 0.5);
        engine.SettleSeries(series, 12_000);
        Int128 debt = -engine.GetCollateral(Short);
        Assert.That(debt, Is.EqualTo((Int128)(4 * 2_000 * 10) - 1_000 - 400));
        Assert.That(PerpetualSetup.ConservationGap(engine, Both), Is.EqualTo(Int128.Zero));

        engine.EndBlock();
        Assert.Multiple(() =>
        {
            Assert.That(engine.GetCollateral(Short), Is.EqualTo(Int128.Zero));
            Assert.That(engine.InsuranceFund, Is.EqualTo(10_000_000 - debt));
            Assert.That(engine.Insolvencies.ToArray(), Is.Empty);
            Assert.That(PerpetualSetup.ConservationGap(engine, Both), Is.EqualTo(Int128.Zero));
        });
    }
    [Test]
    public void AReduceOnlyOrderThatRemovesAHedgeMustKeepTheInitialRequirementOrNotWorsenIt()
    {
        PerpetualEngine engine = OptionSetup.Engine();
        int series = engine.ListSeries(OptionSetup.Series(OptionType.Call, 10_000, contractSize: 100));
        engine.Deposit(Short, 100_000_000_000);
        engine.Deposit(Long, 100_000_000_000);
        OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.6);
        OptionSetup.Trade(engine, series, 1, 68_000, Short, Long, -10);
        long hedge = -(long)Math.Round(engine.GetPortfolioGreeks(Short, 0).Delta);
        OptionSetup.Trade(engine, 0, 10, OptionSetup.Oracle, Short, Long, hedge);

        // Leave the hedged account just above its initial requirement: the naked short calls need far more.
        Int128 spare = (engine.GetNetCollateral(Short) * 1_000_000 - engine.GetInitialRequirementScaled(Short)) / 1_000_000;
        Assert.That(engine.TryWithdraw(Short, (UInt128)(spare - 1_000)), Is.True);
        Order unhedge = Order.Limit(1, Short, Side.Sell, OptionSetup.Oracle, hedge, 0);
        Assert.Multiple(() =>
        {
            // Either leg alone leaves the other naked: both raise the requirement beyond what the account holds.
            Assert.That(OptionSetup.AdmitOne(engine, 0, unhedge, reduceOnly: true).Status, Is.EqualTo(AdmissionStatus.InsufficientMargin));
            Assert.That(OptionSetup.AdmitOne(engine, series, Order.Limit(2, Short, Side.Buy, 1_000, 10, 0), reduceOnly: true).Status, Is.EqualTo(AdmissionStatus.InsufficientMargin));
        });
    }

    [Test]
    public void AnAccountBelowItsInitialRequirementCanStillBuyBackANakedShort()
    {
        PerpetualEngine engine = OptionSetup.Engine();
        int series = engine.ListSeries(OptionSetup.Series(OptionType.Call, 10_000, contractSize: 100));
        engine.Deposit(Short, 100_000_000_000);
        engine.Deposit(Long, 100_000_000_000);
        OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.6);
        OptionSetup.Trade(engine, series, 1, 700_000, Short, Long, -10);
        Int128 spare = (engine.GetNetCollateral(Short) * 1_000_000 - engine.GetInitialRequirementScaled(Short)) / 1_000_000;
        Assert.That(engine.TryWithdraw(Short, (UInt128)(spare - 1)), Is.True);

        // The underlying rises: the account falls below its initial requirement, still above maintenance.
        OptionSetup.Block(engine, 2, 10_200, 0.6);
        Assert.That(engine.GetNetCollateral(Short) * 1_000_000, Is.LessThan(engine.GetInitialRequirementScaled(Short)));
        Assert.That(engine.IsLiquidatable(Short), Is.False);
        long above = (long)Math.Ceiling(engine.GetSeriesMark(series)) + 1_000;
        Assert.Multiple(() =>
        {
            Assert.That(OptionSetup.AdmitOne(engine, series, Order.Limit(1, Short, Side.Buy, above, 10, 0)).Status, Is.EqualTo(AdmissionStatus.InsufficientMargin));
            Assert.That(OptionSetup.AdmitOne(engine, series, Order.Limit(2, Short, Side.Buy, above, 10, 0), reduceOnly: true).Status, Is.EqualTo(AdmissionStatus.Admitted));
            Assert.That(OptionSetup.AdmitOne(engine, series, Order.Limit(3, Short, Side.Buy, above, 4, 0), reduceOnly: true).Status, Is.EqualTo(AdmissionStatus.Admitted));
        });
    }
}
