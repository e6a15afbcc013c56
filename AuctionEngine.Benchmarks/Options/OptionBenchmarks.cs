using AuctionEngine.Options;
using BenchmarkDotNet.Attributes;
using QLNet;
using OptionType = AuctionEngine.Options.OptionType;

namespace AuctionEngine.Benchmarks.Options;

/// <summary>
/// A million European options on a spot underlying, valued with every Greek and solved for implied volatility, by the
/// engine's columnar API and by QLNet (QuantLib's .NET port) on the same inputs. QLNet's fastest path is its
/// <c>BlackScholesCalculator</c>, used directly (no instrument, engine or term structure); it gives value, delta,
/// gamma, vega, theta and rho, not vanna and volga, so its column computes six Greeks to the engine's eight.
/// </summary>
[MemoryDiagnoser]
public class OptionBenchmarks
{
    private const int Count = 1_000_000;

    private readonly OptionType[] _types = new OptionType[Count];
    private readonly double[] _spots = new double[Count];
    private readonly double[] _strikes = new double[Count];
    private readonly double[] _years = new double[Count];
    private readonly double[] _volatilities = new double[Count];
    private readonly double[] _rates = new double[Count];
    private readonly double[] _yields = new double[Count];
    private readonly double[] _prices = new double[Count];
    private readonly OptionValuation[] _values = new OptionValuation[Count];
    private readonly ImpliedVolatilityResult[] _implied = new ImpliedVolatilityResult[Count];
    private readonly double[] _qlnet = new double[Count * 6];
    private readonly double[] _qlnetImplied = new double[Count];
    private PlainVanillaPayoff[] _payoffs = [];

    [GlobalSetup]
    public void Setup()
    {
        // Where markets trade: strikes within e^±0.25 of the spot, a month to two years, 20% to 120% volatility. (QLNet's
        // solver throws on an option whose time value is lost in rounding, so deeper options would stop its column.)
        var random = new Random(20261201);
        for (int i = 0; i < Count; i++)
        {
            _types[i] = (i & 1) == 0 ? OptionType.Call : OptionType.Put;
            _spots[i] = 100 * Math.Exp(random.NextDouble() - 0.5);
            _strikes[i] = _spots[i] * Math.Exp(0.5 * random.NextDouble() - 0.25);
            _years[i] = 30.0 / 365 + random.NextDouble() * 2;
            _volatilities[i] = 0.2 + random.NextDouble();
            _rates[i] = random.NextDouble() * 0.08;
            _yields[i] = random.NextDouble() * 0.04;
        }

        _payoffs = [.. _types.Select((type, i) => new PlainVanillaPayoff(type == OptionType.Call ? Option.Type.Call : Option.Type.Put, _strikes[i]))];
        BlackScholes.ValueMany(_types, _spots, _strikes, _years, _volatilities, _rates, _yields, _values);
        for (int i = 0; i < Count; i++)
        {
            _prices[i] = _values[i].Price;
        }

        EnsureTheyAgree();
    }

    [Benchmark(Baseline = true, Description = "QLNet: price + 5 Greeks")]
    public double QLNetValues()
    {
        double[] output = _qlnet;
        for (int i = 0; i < Count; i++)
        {
            double years = _years[i];
            var calculator = new BlackScholesCalculator(
                _payoffs[i], _spots[i], Math.Exp(-_yields[i] * years), _volatilities[i] * Math.Sqrt(years), Math.Exp(-_rates[i] * years));
            int at = i * 6;
            output[at] = calculator.value();
            output[at + 1] = calculator.delta();
            output[at + 2] = calculator.gamma();
            output[at + 3] = calculator.vega(years);
            output[at + 4] = calculator.theta(years);
            output[at + 5] = calculator.rho(years);
        }

        return output[0];
    }

    [Benchmark(Description = "engine: price + 7 Greeks")]
    public double EngineValues()
    {
        BlackScholes.ValueMany(_types, _spots, _strikes, _years, _volatilities, _rates, _yields, _values);
        return _values[0].Price;
    }

    [Benchmark(Description = "QLNet: implied volatility")]
    public double QLNetImpliedVolatility()
    {
        for (int i = 0; i < Count; i++)
        {
            double years = _years[i];
            double discount = Math.Exp(-_rates[i] * years);
            double forward = _spots[i] * Math.Exp(-_yields[i] * years) / discount;
            _qlnetImplied[i] = Utils.blackFormulaImpliedStdDev(
                _types[i] == OptionType.Call ? Option.Type.Call : Option.Type.Put, _strikes[i], forward, _prices[i], discount, 0.0, null, 1e-12, 100) / Math.Sqrt(years);
        }

        return _qlnetImplied[0];
    }

    [Benchmark(Description = "engine: implied volatility")]
    public double EngineImpliedVolatility()
    {
        BlackScholes.ImpliedVolatilityMany(_types, _prices, _spots, _strikes, _years, _rates, _yields, _implied);
        return _implied[0].Volatility;
    }

    /// <summary>A fast wrong answer is worth nothing: refuse to time two implementations that disagree beyond 1e-10.</summary>
    private void EnsureTheyAgree()
    {
        QLNetValues();
        EngineImpliedVolatility();
        for (int i = 0; i < Count; i += 997)
        {
            OptionValuation v = _values[i];
            ReadOnlySpan<double> ours = [v.Price, v.Delta, v.Gamma, v.Vega, v.Theta, v.Rho];
            for (int k = 0; k < 6; k++)
            {
                double theirs = _qlnet[i * 6 + k];
                if (Math.Abs(ours[k] - theirs) > 1e-10 * Math.Max(Math.Abs(theirs), 1e-3 * Math.Abs(v.Price) + 1e-12))
                {
                    throw new InvalidOperationException($"Option {i}, value {k}: engine {ours[k]:R}, QLNet {theirs:R}.");
                }
            }

            // Deep in the money the price hardly moves with volatility: it pins σ down only to its rounding over vega.
            double resolution = 4e-16 * (v.Price + _spots[i]) / v.Vega;
            if (!_implied[i].IsSolved || Math.Abs(_implied[i].Volatility - _volatilities[i]) > 1e-9 * _volatilities[i] + 8 * resolution)
            {
                throw new InvalidOperationException($"Option {i}: implied volatility {_implied[i]} for {_volatilities[i]:R}.");
            }
        }
    }
}
