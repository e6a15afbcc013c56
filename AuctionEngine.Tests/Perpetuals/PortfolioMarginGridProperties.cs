using System.Numerics;
using AuctionEngine.Options;
using AuctionEngine.Options.Internal;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>
/// The 4-lane grid kernel that builds the portfolio-margin risk arrays (<see cref="BlackGridKernel"/>) against the
/// scalar <see cref="BlackKernel.Price"/> it replaces: prices within 2 × 10^−15 of the larger of forward and strike over
/// random series, grids and every cut-off of the normal distribution, the degenerate cases exactly, and the same
/// requirements to the atom as the scalar risk arrays over random portfolios (the larger of the scalar grid loss and the
/// short option minimum, computed exactly on its own).
/// </summary>
[TestFixture]
public sealed class PortfolioMarginGridProperties
{
    private const double Bound = 2e-15;
    private static readonly Arbitrary<int> Seeds = Arb.From(Gen.Choose(0, int.MaxValue));
    private static readonly Address Long = Build.Trader(1);
    private static readonly Address Short = Build.Trader(2);

#pragma warning disable CA5394 // Seeded, reproducible inputs; nothing here is a secret.
    [FsCheck.NUnit.Property(MaxTest = 1000)]
    public Property TheGridKernelAgreesWithTheScalarKernelOverRandomSeriesAndGrids() => Prop.ForAll(Seeds, seed =>
    {
        var random = new Random(seed);
        bool isCall = random.Next(2) == 0;
        double oracle = Math.Exp(random.NextDouble() * 20);
        double strike = oracle * Math.Exp((random.NextDouble() - 0.5) * new[] { 0.2, 2, 8, 40 }[random.Next(4)]);
        double years = new[] { 0.0, 1e-9, 1.0 / 365, random.NextDouble() * 3 }[random.Next(4)];
        double volatility = new[] { 0.0, 1e-6, random.NextDouble() * 2, random.NextDouble() * 30 }[random.Next(4)];
        int priceSteps = (2 * random.Next(0, 15)) + 1;
        int volatilitySteps = (2 * random.Next(0, 5)) + 1;
        (double[] forwards, double[] logMoneyness, double[] totalVolatilities) =
            Grid(oracle, strike, volatility * Math.Sqrt(years), priceSteps, random.NextDouble() * 0.5, volatilitySteps, random.NextDouble() * 0.99);
        return Agrees(isCall, strike, forwards, logMoneyness, totalVolatilities).Label($"seed {seed}");
    });

    [Test]
    public void TheGridKernelAgreesAtAndAroundEveryCutOffOfTheNormalDistribution()
    {
        // d1 at, and a few ulps either side of, ±the central limit, ±√32, the tail limits, the exponential's floor
        // and where d2 crosses them; s = 1 and s = 10^−3 so that d2 = d1 − s straddles the same points.
        double[] cutOffs = [0.0, StandardNormal.CentralLimit, StandardNormal.MiddleLimit, StandardNormal.UpperLimit, 37.6, -StandardNormal.LowerLimit, 40.0];
        foreach (double totalVolatility in new[] { 1.0, 1e-3 })
        {
            var logMoneyness = new List<double>();
            foreach (double cutOff in cutOffs)
            {
                foreach (double sign in new[] { 1.0, -1.0 })
                {
                    foreach (double shift in new[] { 0.0, totalVolatility })
                    {
                        double d1 = (sign * cutOff) + shift;
                        for (int ulps = -3; ulps <= 3; ulps++)
                        {
                            double near = d1;
                            for (int k = 0; k < Math.Abs(ulps); k++)
                            {
                                near = ulps > 0 ? Math.BitIncrement(near) : Math.BitDecrement(near);
                            }

                            logMoneyness.Add((near - (0.5 * totalVolatility)) * totalVolatility);
                        }
                    }
                }
            }

            while (logMoneyness.Count % BlackGridKernel.Lanes != 0)
            {
                logMoneyness.Add(0.0);
            }

            const double Strike = 1_000.0;
            double[] forwards = [.. logMoneyness.Select(l => Strike * Math.Exp(l))];
            double[] totalVolatilities = [.. logMoneyness.Select(_ => totalVolatility)];
            foreach (bool isCall in new[] { true, false })
            {
                Property agrees = Agrees(isCall, Strike, forwards, [.. logMoneyness], totalVolatilities);
                Check.One(Config.QuickThrowOnFailure.WithMaxTest(1), agrees);
            }
        }
    }

    [Test]
    public void DegenerateLanesAreTheScalarKernelsExactly()
    {
        // No total volatility, capped, subnormal, a zero forward, NaN-free but infinite d1, mixed with regular lanes.
        double[] forwards = [100, 100, 100, 0, 100, 120, 80, 100];
        double[] logMoneyness = [0, Math.Log(100 / 90.0), Math.Log(100 / 90.0), 0, Math.Log(100 / 90.0), Math.Log(120 / 90.0), Math.Log(80 / 90.0), Math.Log(100 / 90.0)];
        double[] totalVolatilities = [0, 0, BlackKernel.MaxTotalVolatility, 0.3, double.Epsilon, 0.3, 1e-300, 30];
        foreach (bool isCall in new[] { true, false })
        {
            foreach (double strike in new[] { 90.0, 100.0 })
            {
                double[] prices = new double[forwards.Length];
                BlackGridKernel.Price(isCall, strike, forwards, logMoneyness, totalVolatilities, prices);
                for (int g = 0; g < prices.Length; g++)
                {
                    double scalar = BlackKernel.Price(isCall, forwards[g], strike, logMoneyness[g], totalVolatilities[g]);
                    bool degenerate = !(totalVolatilities[g] > 0) || totalVolatilities[g] >= BlackKernel.MaxTotalVolatility || forwards[g] == 0
                        || !double.IsFinite((logMoneyness[g] / totalVolatilities[g]) + (0.5 * totalVolatilities[g]));
                    Assert.That(prices[g], degenerate ? Is.EqualTo(scalar) : Is.EqualTo(scalar).Within(Bound * Math.Max(forwards[g], strike)), $"lane {g}, call {isCall}, strike {strike}");
                }
            }
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property RequirementsAreTheScalarRiskArraysToTheAtom() => Prop.ForAll(Seeds, seed =>
    {
        var random = new Random(seed);
        int minimumPpm = new[] { 0, random.Next(1, 1_000), random.Next(0, 1_000_001), 10_000 }[random.Next(4)];
        if (RandomPortfolio(random, minimumPpm, multiplierPpm: 1_250_000) is not { } portfolio)
        {
            return true.ToProperty();
        }

        BigInteger minimum = ShortOptionMinimum.Of(minimumPpm, portfolio.Oracle, 10, portfolio.Positions);
        BigInteger grid = portfolio.Loss > 0 ? new BigInteger(Math.Ceiling(portfolio.Loss)) : BigInteger.Zero;
        var expected = (Int128)(BigInteger.Max(grid, minimum) * 1_000_000);
        Int128 actual = portfolio.Engine.GetMaintenanceRequirementScaled(Long);
        return (actual == expected).Label($"seed {seed}: engine {actual}, scalar grid {grid}, minimum {minimum}");
    });

    /// <summary>
    /// With the short option minimum off, the requirements are the grid's alone, as before the minimum existed: the
    /// maintenance requirement ⌈loss⌉ and the initial one ⌈loss × multiplier / 10^6⌉, over random portfolios of long
    /// and short series and a perpetual hedge.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property WithoutAShortOptionMinimumTheRequirementsAreTheGridsAlone() => Prop.ForAll(Seeds, seed =>
    {
        var random = new Random(seed);
        int multiplier = random.Next(1_000_000, 3_000_000);
        if (RandomPortfolio(random, 0, multiplier) is not { } portfolio)
        {
            return true.ToProperty();
        }

        double loss = portfolio.Loss;
        Int128 maintenance = loss > 0 ? (Int128)Math.Ceiling(loss) * 1_000_000 : Int128.Zero;
        double initialLoss = loss * multiplier / 1_000_000;
        Int128 initial = initialLoss > 0 ? (Int128)Math.Ceiling(initialLoss) * 1_000_000 : Int128.Zero;
        PerpetualEngine engine = portfolio.Engine;
        bool same = engine.GetMaintenanceRequirementScaled(Long) == maintenance && engine.GetInitialRequirementScaled(Long) == initial;
        return same.Label($"seed {seed}: engine {engine.GetMaintenanceRequirementScaled(Long)}, {engine.GetInitialRequirementScaled(Long)}; grid {maintenance}, {initial}");
    });

    /// <summary>
    /// An engine whose account <see cref="Long"/> holds random long and short series and a perpetual hedge, revalued at
    /// a random oracle and volatilities; with the scalar grid loss of that account, or null if it holds no option.
    /// </summary>
    private static (PerpetualEngine Engine, double Loss, long Oracle, (long ContractSize, long Lots)[] Positions)? RandomPortfolio(Random random, int minimumPpm, int multiplierPpm)
    {
        var parameters = new PortfolioMarginParameters(PriceMovePpm: random.Next(10_000, 400_000), PriceSteps: (2 * random.Next(0, 12)) + 1,
            VolatilityMovePpm: random.Next(0, 600_000), VolatilitySteps: (2 * random.Next(0, 4)) + 1, InitialMultiplierPpm: multiplierPpm, ShortOptionMinimumPpm: minimumPpm);
        PerpetualEngine engine = OptionSetup.Engine();
        engine.PortfolioMargin = parameters;
        engine.Deposit(Long, 1_000_000_000_000_000);
        engine.Deposit(Short, 1_000_000_000_000_000);
        int count = random.Next(1, 40);
        var series = new (int Market, OptionType Type, long Strike, long ExpiryTimestamp, long ContractSize)[count];
        for (int k = 0; k < count; k++)
        {
            OptionType type = random.Next(2) == 0 ? OptionType.Call : OptionType.Put;
            long strike = random.Next(5_000, 20_000);
            long expiry = OptionSetup.Timestamp + random.Next(3, 400 * 86_400);
            long contractSize = random.Next(1, 100);
            int market = engine.ListSeries(new OptionSeries(OptionSetup.PremiumMarket(), 0, type, strike, 1_000, expiry, contractSize, maxPosition: 100_000, feePpm: 0));
            series[k] = (market, type, strike, expiry, contractSize);
        }

        OptionSetup.Block(engine, 1, OptionSetup.Oracle, 0.5);
        long[] lots = new long[count];
        for (int k = 0; k < count; k++)
        {
            lots[k] = random.Next(-50, 51);
            if (lots[k] != 0)
            {
                OptionSetup.Trade(engine, series[k].Market, 1, random.Next(1, 5_000), Long, Short, lots[k]);
            }
        }

        long perpetualLots = random.Next(-500, 501);
        if (perpetualLots != 0)
        {
            OptionSetup.Trade(engine, 0, 10, OptionSetup.Oracle, Long, Short, perpetualLots);
        }

        long oracle = random.Next(6_000, 16_000);
        double[] volatilities = [.. series.Select(_ => 0.05 + (random.NextDouble() * 1.5))];
        engine.UpdateOracle([oracle]);
        engine.UpdateVolatilities(2, OptionSetup.Timestamp + 2, volatilities);
        if (!engine.HasOptionPositions(Long))
        {
            return null;
        }

        double loss = ScalarGridLoss(engine, parameters, oracle, series.Select((s, k) => (s.Market, s.Type, s.Strike, s.ExpiryTimestamp, s.ContractSize, lots[k], volatilities[k])).ToArray(), perpetualLots);
        return (engine, loss, oracle, series.Select((s, k) => (s.ContractSize, lots[k])).ToArray());
    }

    /// <summary>The grid loss exactly as the engine computed it with the scalar kernel before the grid kernel.</summary>
    private static double ScalarGridLoss(PerpetualEngine engine, PortfolioMarginParameters parameters, long oracle,
        (int Market, OptionType Type, long Strike, long ExpiryTimestamp, long ContractSize, long Lots, double Volatility)[] positions, long perpetualLots)
    {
        int n = parameters.PriceSteps;
        int m = parameters.VolatilitySteps;
        double x = parameters.PriceMovePpm / 1_000_000.0;
        double y = parameters.VolatilityMovePpm / 1_000_000.0;
        double[] priceFactors = [.. Enumerable.Range(0, n).Select(i => n == 1 ? 1.0 : 1.0 + (x * ((2.0 * i / (n - 1)) - 1.0)))];
        double[] volatilityFactors = [.. Enumerable.Range(0, m).Select(j => m == 1 ? 1.0 : 1.0 + (y * ((2.0 * j / (m - 1)) - 1.0)))];
        double[] row = new double[n * m];
        double lotValue = oracle * 10.0;
        for (int i = 0; i < n; i++)
        {
            row.AsSpan(i * m, m).Fill(-perpetualLots * (lotValue * (priceFactors[i] - 1.0)));
        }

        foreach (var position in positions.Where(p => p.Lots != 0).OrderBy(p => p.Market))
        {
            double years = OptionTime.YearsToExpiry(OptionSetup.Timestamp + 2, position.ExpiryTimestamp);
            double totalVolatility = position.Volatility * Math.Sqrt(years);
            double logOracleToStrike = Math.Log(oracle / (double)position.Strike);
            double scale = position.ContractSize * 10.0;
            double mark = engine.GetSeriesMark(position.Market);
            for (int i = 0; i < n; i++)
            {
                double forward = oracle * priceFactors[i];
                double logMoneyness = Math.Log(priceFactors[i]) + logOracleToStrike;
                for (int j = 0; j < m; j++)
                {
                    double risk = (BlackKernel.Price(position.Type == OptionType.Call, forward, position.Strike, logMoneyness, totalVolatility * volatilityFactors[j]) * scale) - mark;
                    row[(i * m) + j] -= position.Lots * risk;
                }
            }
        }

        return row.Aggregate(0.0, Math.Max);
    }
#pragma warning restore CA5394

    /// <summary>A series' grid inputs formed as the engine forms them, padded to whole vectors with the unmoved scenario.</summary>
    private static (double[] Forwards, double[] LogMoneyness, double[] TotalVolatilities) Grid(
        double oracle, double strike, double totalVolatility, int priceSteps, double priceMove, int volatilitySteps, double volatilityMove)
    {
        int cells = ((priceSteps * volatilitySteps) + BlackGridKernel.Lanes - 1) / BlackGridKernel.Lanes * BlackGridKernel.Lanes;
        double[] forwards = new double[cells];
        double[] logMoneyness = new double[cells];
        double[] totalVolatilities = new double[cells];
        double logOracleToStrike = Math.Log(oracle / strike);
        for (int g = 0; g < cells; g++)
        {
            int i = g / volatilitySteps;
            int j = g % volatilitySteps;
            double priceFactor = g >= priceSteps * volatilitySteps || priceSteps == 1 ? 1.0 : 1.0 + (priceMove * ((2.0 * i / (priceSteps - 1)) - 1.0));
            double volatilityFactor = g >= priceSteps * volatilitySteps || volatilitySteps == 1 ? 1.0 : 1.0 + (volatilityMove * ((2.0 * j / (volatilitySteps - 1)) - 1.0));
            forwards[g] = oracle * priceFactor;
            logMoneyness[g] = Math.Log(priceFactor) + logOracleToStrike;
            totalVolatilities[g] = totalVolatility * volatilityFactor;
        }

        return (forwards, logMoneyness, totalVolatilities);
    }

    private static Property Agrees(bool isCall, double strike, double[] forwards, double[] logMoneyness, double[] totalVolatilities)
    {
        double[] prices = new double[forwards.Length];
        double[] again = new double[forwards.Length];
        BlackGridKernel.Price(isCall, strike, forwards, logMoneyness, totalVolatilities, prices);
        BlackGridKernel.Price(isCall, strike, forwards, logMoneyness, totalVolatilities, again);
        for (int g = 0; g < prices.Length; g++)
        {
            double scalar = BlackKernel.Price(isCall, forwards[g], strike, logMoneyness[g], totalVolatilities[g]);
            double error = Math.Abs(prices[g] - scalar);
            if (!(error <= Bound * Math.Max(forwards[g], strike)) || prices[g] < 0 || BitConverter.DoubleToInt64Bits(prices[g]) != BitConverter.DoubleToInt64Bits(again[g]))
            {
                return false.Label($"cell {g}: call {isCall}, F {forwards[g]:R}, K {strike:R}, ln(F/K) {logMoneyness[g]:R}, s {totalVolatilities[g]:R}: grid {prices[g]:R}, scalar {scalar:R}");
            }
        }

        return true.ToProperty();
    }
}
