using AuctionEngine.Options;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Options;

/// <summary>SVI fits, interpolation across expiries, and the butterfly and calendar arbitrage checks.</summary>
[TestFixture]
public sealed class VolatilitySurfaceTests
{
    private static readonly double[] QuotedLogMoneyness = [.. Enumerable.Range(0, 17).Select(i => -0.8 + 0.1 * i)];

    /// <summary>Raw SVI parameters with positive total variance everywhere: a smile a market could quote.</summary>
    private static readonly Gen<(double Years, SviParameters Parameters)> Smiles =
        from years in OptionGenerators.Uniform(0.05, 2)
        from minimumVariance in OptionGenerators.Uniform(0.002, 0.05)
        from b in OptionGenerators.Uniform(0.02, 0.4)
        from rho in OptionGenerators.Uniform(-0.8, 0.4)
        from m in OptionGenerators.Uniform(-0.2, 0.2)
        from sigma in OptionGenerators.Uniform(0.05, 0.5)
        select (years, new SviParameters(minimumVariance * years - b * sigma * Math.Sqrt(1 - rho * rho), b, rho, m, sigma));

    private static Property Holds(bool condition, Func<string> explain) => condition.Label(condition ? "" : explain());

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property FittingQuotesFromKnownParametersRecoversThem() => Prop.ForAll(Smiles.ToArbitrary(), smile =>
    {
        double[] volatilities = [.. QuotedLogMoneyness.Select(k => Math.Sqrt(smile.Parameters.TotalVariance(k) / smile.Years))];
        SviSmile fitted = SviSmile.Fit(smile.Years, QuotedLogMoneyness, volatilities);
        SviParameters p = fitted.Parameters, q = smile.Parameters;
        bool close = Math.Abs(p.A - q.A) <= 1e-6 && Math.Abs(p.B - q.B) <= 1e-6 * (1 + q.B) && Math.Abs(p.Rho - q.Rho) <= 1e-5
            && Math.Abs(p.M - q.M) <= 1e-5 && Math.Abs(p.Sigma - q.Sigma) <= 1e-5;
        bool reprices = QuotedLogMoneyness.All(k => Math.Abs(fitted.ImpliedVolatility(k) - Math.Sqrt(q.TotalVariance(k) / smile.Years)) <= 1e-8);
        return Holds(close && reprices && fitted.RootMeanSquareError <= 1e-10, () => $"{smile}: fitted {p}, RMSE {fitted.RootMeanSquareError}");
    });

    [Test]
    public void FittingNoisyQuotesStaysCloseToThem()
    {
        var truth = new SviParameters(0.02, 0.15, -0.4, 0.05, 0.2);
        var random = new Random(7);
        double[] volatilities = [.. QuotedLogMoneyness.Select(k => Math.Sqrt(truth.TotalVariance(k)) * (1 + 0.002 * (random.NextDouble() - 0.5)))];
        SviSmile fitted = SviSmile.Fit(1, QuotedLogMoneyness, volatilities);
        // The true parameters are one candidate, so the least-squares fit must do at least as well as they do.
        double truthError = Math.Sqrt(QuotedLogMoneyness.Select((k, i) => Math.Pow(truth.TotalVariance(k) - volatilities[i] * volatilities[i], 2)).Average());
        Assert.Multiple(() =>
        {
            Assert.That(fitted.RootMeanSquareError, Is.GreaterThan(0).And.LessThanOrEqualTo(truthError));
            Assert.That(QuotedLogMoneyness.Select((k, i) => Math.Abs(fitted.ImpliedVolatility(k) - volatilities[i])).Max(), Is.LessThan(0.002));
        });
    }

    [Test]
    public void GatheralAndJacquiersExampleHasButterflyArbitrageAndItsRepairDoesNot()
    {
        // Gatheral & Jacquier, "Arbitrage-free SVI volatility surfaces" (2014), example 3.1 (Axel Vogt's parameters):
        // g(k) turns negative between the quoted strikes.
        var vogt = new VolatilitySurface([new SviSmile(1, new SviParameters(-0.0410, 0.1331, 0.3060, 0.3586, 0.4153))]);
        var sane = new VolatilitySurface([new SviSmile(1, new SviParameters(0.02, 0.1, -0.3, 0.0, 0.2))]);
        ArbitrageReport report = vogt.CheckArbitrage();
        Assert.Multiple(() =>
        {
            Assert.That(report.IsArbitrageFree, Is.False);
            Assert.That(report.Butterflies, Is.Not.Empty);
            Assert.That(report.Butterflies.All(b => b.Density < 0 && b.Years == 1), Is.True);
            Assert.That(report.Calendars, Is.Empty);
            Assert.That(sane.CheckArbitrage().IsArbitrageFree, Is.True);
        });
    }

    /// <summary>Any raw SVI parameters, with or without arbitrage.</summary>
    private static readonly Gen<(double Years, SviParameters Parameters)> AnySmiles =
        from years in OptionGenerators.Uniform(0.1, 2)
        from a in OptionGenerators.Uniform(-0.05, 0.05)
        from b in OptionGenerators.Uniform(0.05, 1)
        from rho in OptionGenerators.Uniform(-0.95, 0.95)
        from m in OptionGenerators.Uniform(-0.3, 0.3)
        from sigma in OptionGenerators.Uniform(0.02, 0.5)
        select (years, new SviParameters(a, b, rho, m, sigma));

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property ButterflyDensityIsTheDensityCallPricesImply() => Prop.ForAll(AnySmiles.ToArbitrary(), smile =>
    {
        // Breeden–Litzenberger: the density of the underlying at K is ∂²C/∂K², and for a smile in total variance it is
        // φ(d2)/(K·√w)·g(k) (forward 1, no discounting). So g's sign, and with the factor its size, can be read off
        // Black-76 prices of the smile by finite differences, independently of the formula for g.
        var wrong = new List<string>();
        foreach (double k in QuotedLogMoneyness)
        {
            double strike = Math.Exp(k), h = 1e-4 * strike;
            double Call(double kk) => Black76.Price(OptionType.Call, 1, kk, smile.Years, Math.Sqrt(smile.Parameters.TotalVariance(Math.Log(kk)) / smile.Years));
            double w = smile.Parameters.TotalVariance(k);
            if (w < 1e-3 || smile.Parameters.TotalVariance(Math.Log(strike - h)) <= 0 || smile.Parameters.TotalVariance(Math.Log(strike + h)) <= 0)
            {
                continue; // no volatility to price with
            }

            // The plain second difference is off by O(h²·C⁗), which a sharp vertex (σ near 0.02) makes larger than
            // the tolerance at about one smile in 4,000; Richardson's extrapolation from h and h/2 cancels that term.
            double SecondDifference(double step) => (Call(strike + step) - 2 * Call(strike) + Call(strike - step)) / (step * step);
            double numeric = ((4 * SecondDifference(h / 2)) - SecondDifference(h)) / 3;
            double d2 = -k / Math.Sqrt(w) - 0.5 * Math.Sqrt(w);
            double density = Math.Exp(-0.5 * d2 * d2) / Math.Sqrt(2 * Math.PI) / (strike * Math.Sqrt(w)) * smile.Parameters.ButterflyDensity(k);
            if (Math.Abs(numeric - density) > 1e-3 * Math.Abs(density) + 1e-5)
            {
                wrong.Add($"k {k}: g-density {density}, from prices {numeric}");
            }
        }

        return Holds(wrong.Count == 0, () => $"{smile}: {string.Join("; ", wrong)}");
    });

    [Test]
    public void NegativeVarianceIsButterflyArbitrage()
    {
        var negative = new SviParameters(-0.05, 0.1, 0, 0, 0.1); // w(0) = −0.04
        Assert.Multiple(() =>
        {
            Assert.That(negative.MinimumTotalVariance, Is.EqualTo(-0.04).Within(1e-15));
            Assert.That(negative.ButterflyDensity(0), Is.EqualTo(double.NegativeInfinity));
            Assert.That(new VolatilitySurface([new SviSmile(1, negative)]).CheckArbitrage([0.0]).Butterflies.Single().LogMoneyness, Is.Zero);
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property CalendarArbitrageIsFlaggedExactlyWhereVarianceFalls() => Prop.ForAll(
        Smiles.ToArbitrary(), OptionGenerators.Uniform(-0.01, 0.01).ToArbitrary(), (smile, shift) =>
    {
        // The later smile is the earlier one shifted by `shift` in total variance: it falls everywhere or nowhere.
        SviParameters p = smile.Parameters;
        var later = new SviParameters(p.A + shift, p.B, p.Rho, p.M, p.Sigma);
        var surface = new VolatilitySurface([new SviSmile(smile.Years + 0.25, later), new SviSmile(smile.Years, p)]);
        ArbitrageReport report = surface.CheckArbitrage(QuotedLogMoneyness);
        bool expected = report.Calendars.Count == (shift < 0 ? QuotedLogMoneyness.Length : 0);
        bool described = report.Calendars.All(c => c.EarlierYears == smile.Years && c.LaterYears == smile.Years + 0.25 && c.LaterTotalVariance < c.EarlierTotalVariance);
        return Holds(expected && described, () => $"{smile}, shift {shift}: {report.Calendars.Count} calendar violations");
    });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property TotalVarianceIsLinearInTimeBetweenSmilesAndMatchesThemAtTheirExpiries() => Prop.ForAll(
        Smiles.ToArbitrary(), OptionGenerators.Uniform(0, 1).ToArbitrary(), OptionGenerators.Uniform(-1, 1).ToArbitrary(), (smile, fraction, k) =>
    {
        SviParameters p = smile.Parameters;
        var later = new SviParameters(p.A + 0.01, p.B * 1.1, p.Rho, p.M, p.Sigma);
        double t1 = smile.Years, t2 = smile.Years + 0.5;
        var surface = new VolatilitySurface([new SviSmile(t1, p), new SviSmile(t2, later)]);
        double t = t1 + fraction * (t2 - t1);
        double expected = p.TotalVariance(k) + fraction * (later.TotalVariance(k) - p.TotalVariance(k));
        double tolerance = 1e-14 * (1 + Math.Abs(expected));
        bool between = Math.Abs(surface.TotalVariance(k, t) - expected) <= tolerance;
        bool atNodes = surface.TotalVariance(k, t1) == p.TotalVariance(k) && surface.TotalVariance(k, t2) == later.TotalVariance(k);
        bool outside = Math.Abs(surface.ImpliedVolatility(k, t1 / 2) - Math.Sqrt(p.TotalVariance(k) / t1)) <= 1e-14
            && Math.Abs(surface.ImpliedVolatility(k, 2 * t2) - Math.Sqrt(later.TotalVariance(k) / t2)) <= 1e-14
            && surface.ImpliedVolatility(k, 0) == surface.Smiles[0].ImpliedVolatility(k);
        return Holds(between && atNodes && outside, () => $"{smile} at k {k}, t {t}: {surface.TotalVariance(k, t)} vs {expected}");
    });

    [Test]
    public void BadSmilesAndQuotesAreRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new SviParameters(0.01, -0.1, 0, 0, 0.1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("b"));
            Assert.That(() => new SviParameters(0.01, 0.1, 1, 0, 0.1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("rho"));
            Assert.That(() => new SviParameters(0.01, 0.1, 0, 0, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sigma"));
            Assert.That(() => new SviParameters(double.NaN, 0.1, 0, 0, 0.1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("a"));
            Assert.That(() => SviSmile.Fit(1, [0.0, 0.1, 0.2, 0.3], [0.2, 0.2, 0.2, 0.2]), Throws.ArgumentException);
            Assert.That(() => SviSmile.Fit(0, QuotedLogMoneyness, [.. QuotedLogMoneyness.Select(_ => 0.2)]), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new VolatilitySurface([]), Throws.ArgumentException);
            var smile = new SviSmile(1, new SviParameters(0.02, 0.1, -0.3, 0.0, 0.2));
            Assert.That(() => new VolatilitySurface([smile, new SviSmile(1, smile.Parameters)]), Throws.ArgumentException);
        });
    }
}
