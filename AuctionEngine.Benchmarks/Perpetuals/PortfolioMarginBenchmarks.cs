using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Options;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Perpetuals;

/// <summary>
/// The portfolio margin of one account holding 1,000 option series (calls and puts, 250 strikes, 4 expiries) and a
/// perpetual hedge on the same underlying, over the default 21 × 5 grid (105 scenarios, 105,000 revaluations). The
/// baseline revalues the portfolio scenario by scenario with the public <see cref="Black76.Price"/> (input checks,
/// ln(F/K) per call), as a straightforward implementation would. The engine keeps SPAN's risk arrays (one lot's change
/// in value per scenario, per series, shared by every account), rebuilt lazily once per block after the oracle or the
/// volatilities move: the first account of a block pays for them, the others only add up their positions. The book
/// holds about 12,600 short lots, so with the default short option minimum (1% of each short lot's underlying notional)
/// the requirement is the minimum, not the grid loss; both are computed either way, and the baseline computes both too.
/// </summary>
[MemoryDiagnoser]
public class PortfolioMarginBenchmarks
{
    private const int Series = 1_000;
    private const long Oracle = 10_000;
    private const long Timestamp = 1_700_000_000;
    private static readonly Address Holder = Address.Parse("0x0000000000000000000000000000000000000001");
    private static readonly Address Dealer = Address.Parse("0x0000000000000000000000000000000000000002");
    private readonly long[] _oracle = [Oracle];
    private PerpetualEngine _engine = null!;
    private (OptionType Type, double Strike, double Years, double Volatility, double Scale, long Lots)[] _book = null!;

    [GlobalSetup]
    public void Setup()
    {
        var quote = Address.Parse("0x00000000000000000000000000000000000000aa");
        var baseToken = Address.Parse("0x00000000000000000000000000000000000000bb");
        var perp = new Market(baseToken, quote, 1, 10, 1_000_000_000, 1_000_000);
        _engine = new PerpetualEngine([new PerpetualMarket(perp, 100_000, 50_000, 1_000_000, 0, 1_000, 10_000, 1_000_000, 100_000, 5_000, 1_000_000_000, 100_000)]);
        var premium = new Market(baseToken, quote, 1, 1, 1_000_000_000, 1_000_000);
        var random = new Random(12_345);
        var volatilities = new double[Series];
        _book = new (OptionType, double, double, double, double, long)[Series];
        for (int i = 0; i < Series; i++)
        {
            OptionType type = i % 2 == 0 ? OptionType.Call : OptionType.Put;
            long strike = 6_000 + ((i / 2) % 250 * 32);
            long expiry = Timestamp + ((7 + (i / 500 * 21) + (i % 4 * 30)) * 86_400L);
            _engine.ListSeries(new OptionSeries(premium, 0, type, strike, 1_000_000, expiry, 1, 1_000_000, 0));
            volatilities[i] = 0.4 + (random.NextDouble() * 0.6);
        }

        _engine.Deposit(Holder, UInt128.One << 80);
        _engine.Deposit(Dealer, UInt128.One << 80);
        _engine.UpdateOracle([Oracle]);
        _engine.UpdateVolatilities(1, Timestamp, volatilities);
        for (int i = 0; i < Series; i++)
        {
            long lots = random.Next(1, 50) * (random.Next(2) == 0 ? 1 : -1);
            Trade(_engine.MarketCount + i, 1, lots);
            OptionSeries series = _engine.GetSeries(_engine.MarketCount + i);
            _book[i] = (series.Type, series.Strike, OptionTime.YearsToExpiry(Timestamp, series.ExpiryTimestamp), volatilities[i], 10.0, lots);
        }

        Trade(0, Oracle, -(long)Math.Round(_engine.GetPortfolioGreeks(Holder, 0).Delta));

        // The grid alone (minimum off) and then the default: each must be the baseline's to within an atom.
        PortfolioMarginParameters defaults = _engine.PortfolioMargin;
        _engine.PortfolioMargin = defaults with { ShortOptionMinimumPpm = 0 };
        Check(Engine(), (Int128)Math.Ceiling(NaiveGridLoss()));
        _engine.PortfolioMargin = defaults;
        Check(Engine(), (Int128)Math.Ceiling(Naive()));
    }

    /// <summary>The baseline's requirement: the larger of the grid loss and the short option minimum.</summary>
    /// <returns>The requirement in quote atoms.</returns>
    [Benchmark(Baseline = true, Description = "naive: Black76.Price per position per scenario")]
    public double Naive()
    {
        double perLot = Math.Ceiling(_engine.PortfolioMargin.ShortOptionMinimumPpm * Oracle * 10.0 / 1e6);
        double minimum = 0;
        foreach ((_, _, _, _, _, long lots) in _book)
        {
            minimum += Math.Max(-lots, 0) * perLot;
        }

        return Math.Max(NaiveGridLoss(), minimum);
    }

    [Benchmark(Description = "engine: requirement, risk arrays warm (each further account in the block)")]
    public Int128 Engine() => _engine.GetMaintenanceRequirementScaled(Holder);

    [Benchmark(Description = "engine: oracle update + requirement, 1,000 risk arrays rebuilt (first account in the block)")]
    public Int128 EngineAfterOracleUpdate()
    {
        _engine.UpdateOracle(_oracle);
        return _engine.GetMaintenanceRequirementScaled(Holder);
    }

    private static void Check(Int128 engine, Int128 naiveAtoms)
    {
        Int128 naive = naiveAtoms * 1_000_000;
        if (Int128.Abs(engine - naive) > 1_000_000 * (Int128)Math.Max(1.0, Math.Abs((double)naive) * 1e-12 / 1e6))
        {
            throw new InvalidOperationException($"The engine's requirement {engine} differs from the baseline's {naive}.");
        }
    }

    private double NaiveGridLoss()
    {
        PortfolioMarginParameters grid = _engine.PortfolioMargin;
        long hedge = _engine.GetPosition(Holder, 0);
        double worst = 0;
        double mark = 0;
        foreach ((OptionType type, double strike, double years, double volatility, double scale, long lots) in _book)
        {
            mark += lots * Black76.Price(type, Oracle, strike, years, volatility) * scale;
        }

        for (int i = 0; i < grid.PriceSteps; i++)
        {
            double forward = Oracle * (1.0 + (grid.PriceMovePpm / 1e6 * ((2.0 * i / (grid.PriceSteps - 1)) - 1.0)));
            for (int j = 0; j < grid.VolatilitySteps; j++)
            {
                double shift = 1.0 + (grid.VolatilityMovePpm / 1e6 * ((2.0 * j / (grid.VolatilitySteps - 1)) - 1.0));
                double value = hedge * (forward - Oracle) * 10;
                foreach ((OptionType type, double strike, double years, double volatility, double scale, long lots) in _book)
                {
                    value += lots * Black76.Price(type, forward, strike, years, volatility * shift) * scale;
                }

                worst = Math.Max(worst, mark - value);
            }
        }

        return worst;
    }

    private void Trade(int market, long price, long lots)
    {
        long size = Math.Abs(lots);
        UInt128 tick = market == 0 ? 10u : 1u;
        UInt128 amount = (UInt128)size * (ulong)price * tick;
        Order[] orders =
        [
            Order.Limit(1, Holder, lots > 0 ? Side.Buy : Side.Sell, price, size, 0),
            Order.Limit(2, Dealer, lots > 0 ? Side.Sell : Side.Buy, price, size, 0),
        ];
        Fill[] fills = [new(size, amount, RejectReason.None), new(size, amount, RejectReason.None)];
        _engine.ApplyFills(market, price, orders, fills);
        _engine.EndBlock();
    }
}
