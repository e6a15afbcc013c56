using AuctionEngine.Options;
using FsCheck;
using FsCheck.Fluent;

namespace AuctionEngine.Tests.Options;

/// <summary>A Black-Scholes-Merton option: spot, strike, years, volatility, rate and yield.</summary>
public sealed record SpotOption(OptionType Type, double Spot, double Strike, double Years, double Volatility, double Rate, double Yield)
{
    public OptionValuation Value() => BlackScholes.Value(Type, Spot, Strike, Years, Volatility, Rate, Yield);

    public double Price() => BlackScholes.Price(Type, Spot, Strike, Years, Volatility, Rate, Yield);

    public SpotOption With(OptionType type) => this with { Type = type };
}

/// <summary>Generators of options over the whole range the models accept, and over the range where markets trade.</summary>
internal static class OptionGenerators
{
    /// <summary>Uniform on [low, high] with a million steps, the ends included.</summary>
    public static Gen<double> Uniform(double low, double high) => Gen.Choose(0, 1_000_000).Select(i => i == 1_000_000 ? high : low + (high - low) * (i / 1e6));

    /// <summary>Log-uniform on [low, high].</summary>
    public static Gen<double> LogUniform(double low, double high) => Uniform(Math.Log(low), Math.Log(high)).Select(Math.Exp);

    public static readonly Gen<OptionType> Types = Gen.Elements(OptionType.Call, OptionType.Put);

    /// <summary>Where markets trade: strikes within e^±1.2 of the spot, two days to five years, 5% to 150% volatility.</summary>
    public static Gen<SpotOption> Traded { get; } =
        from type in Types
        from spot in LogUniform(0.01, 1e6)
        from moneyness in Uniform(-1.2, 1.2)
        from years in Uniform(2.0 / 365, 5)
        from volatility in Uniform(0.05, 1.5)
        from rate in Uniform(-0.02, 0.15)
        from yield in Uniform(0, 0.1)
        select new SpotOption(type, spot, spot * Math.Exp(moneyness), years, volatility, rate, yield);

    /// <summary>
    /// Anything the model accepts, with its cut-offs weighted in: zero and tiny or huge spots, strikes, times and
    /// volatilities, total volatility at and around the cap, the money exactly.
    /// </summary>
    public static Gen<SpotOption> Anything { get; } =
        from type in Types
        from spot in Gen.Frequency((1, Gen.Constant(0.0)), (1, Gen.Elements(1e-300, 1e-18, 1e18, 1e300)), (8, LogUniform(1e-6, 1e9)))
        from strike in Gen.Frequency((1, Gen.Constant(0.0)), (1, Gen.Constant(spot)), (1, Gen.Elements(1e-300, 1e-18, 1e18, 1e300)), (7, LogUniform(1e-6, 1e9)))
        from years in Gen.Frequency((1, Gen.Constant(0.0)), (1, Gen.Elements(1e-12, 1.0 / OptionTime.SecondsPerYear, 100.0)), (6, Uniform(0, 10)))
        from volatility in Gen.Frequency(
            (1, Gen.Constant(0.0)),
            (1, Gen.Elements(1e-12, 50.0, 1e6)),
            (1, Gen.Elements(-1e-9, 0.0, 1e-9).Select(d => years > 0 ? Black76.MaxTotalVolatility / Math.Sqrt(years) * (1 + d) : 1.0)),
            (6, Uniform(0, 3)))
        from rate in Gen.Frequency((1, Gen.Constant(0.0)), (4, Uniform(-0.1, 0.3)))
        from yield in Gen.Frequency((1, Gen.Constant(0.0)), (4, Uniform(-0.05, 0.2)))
        select new SpotOption(type, spot, strike, years, volatility, rate, yield);
}
