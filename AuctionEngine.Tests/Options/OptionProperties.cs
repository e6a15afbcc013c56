using AuctionEngine.Options;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Options;

/// <summary>Laws of both models, on generated options (see <see cref="OptionGenerators"/>).</summary>
[TestFixture]
public sealed class OptionProperties
{
    private static Property Holds(bool condition, Func<string> explain) => condition.Label(condition ? "" : explain());

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property NothingIsEverNaNAndNoPriceIsNegative() => Prop.ForAll(OptionGenerators.Anything.ToArbitrary(), option =>
    {
        OptionValuation v = option.Value();
        double[] all = [v.Price, v.Delta, v.Gamma, v.Vega, v.Theta, v.Rho, v.Vanna, v.Volga];
        return Holds(!all.Any(double.IsNaN) && v.Price >= 0, () => $"{option}: {v}");
    });

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property PutCallParityHoldsEverywhere() => Prop.ForAll(OptionGenerators.Anything.ToArbitrary(), option =>
    {
        OptionValuation call = option.With(OptionType.Call).Value();
        OptionValuation put = option.With(OptionType.Put).Value();
        double discountedSpot = option.Spot * Math.Exp(-option.Yield * option.Years);
        double discountedStrike = option.Strike * Math.Exp(-option.Rate * option.Years);
        double scale = discountedSpot + discountedStrike;
        bool parity = Math.Abs(call.Price - put.Price - (discountedSpot - discountedStrike)) <= 1e-13 * scale + 1e-300;
        bool deltas = Math.Abs(call.Delta - put.Delta - Math.Exp(-option.Yield * option.Years)) <= 1e-14;
        bool shared = call.Gamma.Equals(put.Gamma) && call.Vega.Equals(put.Vega) && call.Vanna.Equals(put.Vanna) && call.Volga.Equals(put.Volga);
        return Holds(parity && deltas && shared, () => $"{option}: call {call}, put {put}");
    });

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Black76PutCallParityHolds() => Prop.ForAll(
        OptionGenerators.Anything.ToArbitrary(), OptionGenerators.Uniform(0.5, 1).ToArbitrary(), (option, discount) =>
    {
        double call = Black76.Price(OptionType.Call, option.Spot, option.Strike, option.Years, option.Volatility, discount);
        double put = Black76.Price(OptionType.Put, option.Spot, option.Strike, option.Years, option.Volatility, discount);
        double expected = discount * (option.Spot - option.Strike);
        return Holds(Math.Abs(call - put - expected) <= 1e-13 * discount * (option.Spot + option.Strike) + 1e-300, () => $"{option}, D {discount}: call {call}, put {put}");
    });

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property GreeksAgreeWithFiniteDifferences() => Prop.ForAll(OptionGenerators.Traded.ToArbitrary(), option =>
    {
        OptionValuation v = option.Value();
        // Steps scale with the distance over which each Greek changes (S·σ√T for the spot), so truncation stays below 1e-7.
        double hS = 1e-4 * option.Spot * Math.Min(1, option.Volatility * Math.Sqrt(option.Years)), hV = 1e-4 * option.Volatility, hT = 1e-5, hR = 1e-5;
        double Price(double spot, double years, double volatility, double rate) =>
            BlackScholes.Price(option.Type, spot, option.Strike, years, volatility, rate, option.Yield);
        double Delta(double spot, double volatility) =>
            BlackScholes.Value(option.Type, spot, option.Strike, option.Years, volatility, option.Rate, option.Yield).Delta;
        double Vega(double volatility) =>
            BlackScholes.Value(option.Type, option.Spot, option.Strike, option.Years, volatility, option.Rate, option.Yield).Vega;
        (double S, double T, double V, double R) at = (option.Spot, option.Years, option.Volatility, option.Rate);

        var differences = new (string Name, double Analytic, double Numeric, double Scale)[]
        {
            ("delta", v.Delta, (Price(at.S + hS, at.T, at.V, at.R) - Price(at.S - hS, at.T, at.V, at.R)) / (2 * hS), 1),
            ("gamma", v.Gamma, (Delta(at.S + hS, at.V) - Delta(at.S - hS, at.V)) / (2 * hS), 1 / option.Spot),
            ("vega", v.Vega, (Price(at.S, at.T, at.V + hV, at.R) - Price(at.S, at.T, at.V - hV, at.R)) / (2 * hV), option.Spot),
            ("theta", v.Theta, -(Price(at.S, at.T + hT, at.V, at.R) - Price(at.S, at.T - hT, at.V, at.R)) / (2 * hT), option.Spot),
            ("rho", v.Rho, (Price(at.S, at.T, at.V, at.R + hR) - Price(at.S, at.T, at.V, at.R - hR)) / (2 * hR), option.Spot + option.Strike),
            ("vanna", v.Vanna, (Delta(at.S, at.V + hV) - Delta(at.S, at.V - hV)) / (2 * hV), 1),
            ("volga", v.Volga, (Vega(at.V + hV) - Vega(at.V - hV)) / (2 * hV), option.Spot),
        };
        var wrong = differences.Where(d => Math.Abs(d.Analytic - d.Numeric) > 1e-6 * (Math.Abs(d.Analytic) + d.Scale)).ToArray();
        return Holds(wrong.Length == 0, () => $"{option}: " + string.Join("; ", wrong.Select(d => $"{d.Name} {d.Analytic} vs {d.Numeric}")));
    });

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Black76GreeksAgreeWithFiniteDifferences() => Prop.ForAll(
        OptionGenerators.Traded.ToArbitrary(), OptionGenerators.Uniform(0.5, 1).ToArbitrary(), (option, discount) =>
    {
        double forward = option.Spot;
        OptionValuation v = Black76.Value(option.Type, forward, option.Strike, option.Years, option.Volatility, discount);
        double rate = -Math.Log(discount) / option.Years;
        double hF = 1e-4 * forward * Math.Min(1, option.Volatility * Math.Sqrt(option.Years)), hT = 1e-5, hR = 1e-5;
        double Price(double f, double years, double r) => Black76.Price(option.Type, f, option.Strike, years, option.Volatility, Math.Exp(-r * years));
        var differences = new (string Name, double Analytic, double Numeric, double Scale)[]
        {
            ("delta", v.Delta, (Price(forward + hF, option.Years, rate) - Price(forward - hF, option.Years, rate)) / (2 * hF), 1),
            ("theta", v.Theta, -(Price(forward, option.Years + hT, rate) - Price(forward, option.Years - hT, rate)) / (2 * hT), forward),
            ("rho", v.Rho, (Price(forward, option.Years, rate + hR) - Price(forward, option.Years, rate - hR)) / (2 * hR), forward + option.Strike),
        };
        var wrong = differences.Where(d => Math.Abs(d.Analytic - d.Numeric) > 1e-6 * (Math.Abs(d.Analytic) + d.Scale)).ToArray();
        return Holds(wrong.Length == 0, () => $"{option}, D {discount}: " + string.Join("; ", wrong.Select(d => $"{d.Name} {d.Analytic} vs {d.Numeric}")));
    });

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property PricesFallWithStrikeForCallsAndRiseForPuts() => Prop.ForAll(
        OptionGenerators.Anything.ToArbitrary(), OptionGenerators.Uniform(1e-6, 0.5).ToArbitrary(), (option, bump) =>
    {
        double higher = (option with { Strike = option.Strike * (1 + bump) + bump }).Price();
        double price = option.Price();
        bool monotone = option.Type == OptionType.Call ? higher <= price * (1 + 1e-14) : higher >= price * (1 - 1e-14);
        return Holds(monotone, () => $"{option}: {price}, then {higher} at the higher strike");
    });

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property WithoutCarryPricesRiseWithTimeAndVolatility() => Prop.ForAll(
        OptionGenerators.Anything.ToArbitrary(), OptionGenerators.Uniform(1e-6, 0.5).ToArbitrary(), (option, bump) =>
    {
        SpotOption noCarry = option with { Rate = 0, Yield = 0 };
        double price = noCarry.Price();
        double later = (noCarry with { Years = noCarry.Years * (1 + bump) + bump }).Price();
        double wilder = (noCarry with { Volatility = noCarry.Volatility * (1 + bump) + bump }).Price();
        double tolerance = 1e-14 * (noCarry.Spot + noCarry.Strike);
        return Holds(later >= price - tolerance && wilder >= price - tolerance, () => $"{noCarry}: {price}, later {later}, wilder {wilder}");
    });

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property ImpliedVolatilityGivesBackTheVolatility() => Prop.ForAll(OptionGenerators.Traded.ToArbitrary(), option =>
    {
        double price = option.Price();
        ImpliedVolatilityResult result = BlackScholes.ImpliedVolatility(option.Type, price, option.Spot, option.Strike, option.Years, option.Rate, option.Yield);
        OptionValuation v = option.Value();
        // How well σ is determined: a price carries ~1e-16 relative error, which moves σ by that over vega. Far in the
        // money the time value is exponentially small in 1/σ and that linear bound is too tight: there a whole range of
        // σ rounds to the same price, and any σ of that range is an answer (it must then reprice to within rounding).
        double rounding = 4e-16 * (price + option.Spot * Math.Exp(-option.Yield * option.Years));
        double resolution = rounding / v.Vega;
        bool recovered = Math.Abs(result.Volatility - option.Volatility) <= 1e-12 * option.Volatility + 8 * resolution;
        bool indistinguishable = result.IsSolved &&
            Math.Abs(BlackScholes.Price(option.Type, option.Spot, option.Strike, option.Years, result.Volatility, option.Rate, option.Yield) - price) <= rounding;
        return Holds(
            result.IsSolved && (recovered || indistinguishable),
            () => $"{option}: price {price}, vega {v.Vega}: {result}");
    });

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property ImpliedVolatilityRepricesAnyAttainablePrice() => Prop.ForAll(
        OptionGenerators.Traded.ToArbitrary(), OptionGenerators.Uniform(1e-6, 1 - 1e-6).ToArbitrary(), (option, fraction) =>
    {
        // Any price strictly between the discounted intrinsic value and the maximum is some volatility's.
        double forward = option.Spot, discount = Math.Exp(-option.Rate * option.Years);
        double intrinsic = discount * Math.Max(option.Type == OptionType.Call ? forward - option.Strike : option.Strike - forward, 0);
        double maximum = discount * (option.Type == OptionType.Call ? forward : option.Strike);
        double price = intrinsic + fraction * (maximum - intrinsic);
        ImpliedVolatilityResult result = Black76.ImpliedVolatility(option.Type, price, forward, option.Strike, option.Years, discount);
        double repriced = result.IsSolved ? Black76.Price(option.Type, forward, option.Strike, option.Years, result.Volatility, discount) : double.NaN;
        return Holds(result.IsSolved && Math.Abs(repriced - price) <= 1e-13 * maximum, () => $"{option}: price {price}: {result}, repriced {repriced}");
    });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property BatchesGiveWhatOneAtATimeGives() => Prop.ForAll(Gen.ArrayOf(OptionGenerators.Anything).ToArbitrary(), options =>
    {
        var values = new OptionValuation[options.Length];
        BlackScholes.ValueMany(
            options.Select(o => o.Type).ToArray(), options.Select(o => o.Spot).ToArray(), options.Select(o => o.Strike).ToArray(),
            options.Select(o => o.Years).ToArray(), options.Select(o => o.Volatility).ToArray(), options.Select(o => o.Rate).ToArray(),
            options.Select(o => o.Yield).ToArray(), values);
        var forwards = new OptionValuation[options.Length];
        Black76.ValueMany(
            options.Select(o => o.Type).ToArray(), options.Select(o => o.Spot).ToArray(), options.Select(o => o.Strike).ToArray(),
            options.Select(o => o.Years).ToArray(), options.Select(o => o.Volatility).ToArray(), options.Select(o => Math.Exp(-o.Rate)).ToArray(), forwards);
        var prices = values.Select(v => v.Price).ToArray();
        var implied = new ImpliedVolatilityResult[options.Length];
        BlackScholes.ImpliedVolatilityMany(
            options.Select(o => o.Type).ToArray(), prices, options.Select(o => o.Spot).ToArray(), options.Select(o => o.Strike).ToArray(),
            options.Select(o => o.Years).ToArray(), options.Select(o => o.Rate).ToArray(), options.Select(o => o.Yield).ToArray(), implied);
        return Holds(
            options.Select((o, i) => values[i] == o.Value()
                && forwards[i] == Black76.Value(o.Type, o.Spot, o.Strike, o.Years, o.Volatility, Math.Exp(-o.Rate))
                && implied[i] == BlackScholes.ImpliedVolatility(o.Type, prices[i], o.Spot, o.Strike, o.Years, o.Rate, o.Yield)).All(same => same),
            () => "a batch differs from the scalar call");
    });
}
