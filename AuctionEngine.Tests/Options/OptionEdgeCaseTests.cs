using AuctionEngine.Options;
using NUnit.Framework;

namespace AuctionEngine.Tests.Options;

/// <summary>The exact limits where the formulas would divide by zero, and the refusals of inputs no model has.</summary>
[TestFixture]
public sealed class OptionEdgeCaseTests
{
    [Test]
    public void ZeroTimeIsDiscountedIntrinsicValueWithAStepDelta()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Black76.Value(OptionType.Call, 110, 100, 0, 0.5, 1.0), Is.EqualTo(new OptionValuation(10, 1, 0, 0, 0, 0, 0, 0)));
            Assert.That(Black76.Value(OptionType.Put, 110, 100, 0, 0.5, 1.0), Is.EqualTo(new OptionValuation(0, 0, 0, 0, 0, 0, 0, 0)));
            Assert.That(Black76.Value(OptionType.Put, 90, 100, 0, 0.5, 1.0), Is.EqualTo(new OptionValuation(10, -1, 0, 0, 0, 0, 0, 0)));
            OptionValuation atTheMoney = Black76.Value(OptionType.Call, 100, 100, 0, 0.5, 1.0);
            Assert.That(atTheMoney.Price, Is.Zero);
            Assert.That(atTheMoney.Delta, Is.EqualTo(0.5));
            Assert.That(atTheMoney.Gamma, Is.EqualTo(double.PositiveInfinity));
            Assert.That(atTheMoney.Theta, Is.EqualTo(double.NegativeInfinity), "all the time value goes in the last instant");
            Assert.That(atTheMoney.Vega, Is.Zero);
        });
    }

    [Test]
    public void ZeroVolatilityIsTheDiscountedIntrinsicValueOfTheForward()
    {
        // S = 100, r = 5%, one year: F = 100·e^0.05 = 105.127 > K = 104, so the call is worth D·(F − K) = 100 − 104·e^−0.05.
        OptionValuation call = BlackScholes.Value(OptionType.Call, 100, 104, 1, 0, 0.05);
        OptionValuation put = BlackScholes.Value(OptionType.Put, 100, 104, 1, 0, 0.05);
        Assert.Multiple(() =>
        {
            Assert.That(call.Price, Is.EqualTo(100 - 104 * Math.Exp(-0.05)).Within(1e-12));
            Assert.That(call.Delta, Is.EqualTo(1.0));
            Assert.That(call.Gamma, Is.Zero);
            Assert.That(call.Vega, Is.Zero);
            Assert.That(call.Rho, Is.EqualTo(104 * Math.Exp(-0.05)).Within(1e-12), "rho = K·T·e^(−rT) when the call is sure to be exercised");
            Assert.That(call.Theta, Is.EqualTo(-0.05 * 104 * Math.Exp(-0.05)).Within(1e-12));
            Assert.That(put.Price, Is.Zero);
            Assert.That(put.Delta, Is.Zero);
        });
    }

    [Test]
    public void AtTheMoneyWithoutVolatilityVegaAndVannaKeepTheirLimits()
    {
        OptionValuation call = Black76.Value(OptionType.Call, 100, 100, 0.25, 0, 0.99);
        OptionValuation nearly = Black76.Value(OptionType.Call, 100, 100, 0.25, 1e-9, 0.99);
        Assert.Multiple(() =>
        {
            Assert.That(call.Vega, Is.EqualTo(nearly.Vega).Within(1e-9 * nearly.Vega));
            Assert.That(call.Vanna, Is.EqualTo(nearly.Vanna).Within(1e-9 * nearly.Vanna));
            Assert.That(call.Volga, Is.EqualTo(nearly.Volga).Within(1e-6));
            Assert.That(call.Delta, Is.EqualTo(nearly.Delta).Within(1e-9));
            Assert.That(call.Gamma, Is.EqualTo(double.PositiveInfinity));
        });
    }

    [Test]
    public void ZeroStrikeAndZeroUnderlyingNeedNoVolatility()
    {
        Assert.Multiple(() =>
        {
            Assert.That(BlackScholes.Value(OptionType.Call, 100, 0, 1, 0.3, 0.05, 0.02).Price, Is.EqualTo(100 * Math.Exp(-0.02)).Within(1e-12));
            Assert.That(BlackScholes.Value(OptionType.Call, 100, 0, 1, 0.3, 0.05, 0.02).Delta, Is.EqualTo(Math.Exp(-0.02)).Within(1e-15));
            Assert.That(BlackScholes.Value(OptionType.Put, 100, 0, 1, 0.3, 0.05, 0.02).Price, Is.Zero);
            Assert.That(BlackScholes.Value(OptionType.Put, 0, 100, 1, 0.3, 0.05, 0.02).Price, Is.EqualTo(100 * Math.Exp(-0.05)).Within(1e-12));
            Assert.That(BlackScholes.Value(OptionType.Put, 0, 100, 1, 0.3, 0.05, 0.02).Delta, Is.EqualTo(-Math.Exp(-0.02)).Within(1e-15));
            Assert.That(BlackScholes.Value(OptionType.Call, 0, 100, 1, 0.3, 0.05, 0.02), Is.EqualTo(default(OptionValuation)));
            Assert.That(Black76.Value(OptionType.Call, 0, 0, 1, 0.3, 0.9), Is.EqualTo(new OptionValuation(0, 0.9, 0, 0, 0, 0, 0, 0)));
        });
    }

    [Test]
    public void AtTheCapThePriceIsItsLimitAndTheGreeksVanish()
    {
        // σ√T = 24 exactly, and just below: the formula and the limit agree to the last digits.
        OptionValuation capped = Black76.Value(OptionType.Call, 1000, 700, 1, Black76.MaxTotalVolatility, 0.98);
        OptionValuation below = Black76.Value(OptionType.Call, 1000, 700, 1, Black76.MaxTotalVolatility - 1e-9, 0.98);
        Assert.Multiple(() =>
        {
            Assert.That(capped, Is.EqualTo(new OptionValuation(980, 0.98, 0, 0, -Math.Log(0.98) * 980, -980, 0, 0)));
            Assert.That(below.Price, Is.EqualTo(980).Within(1e-12));
            Assert.That(below.Vega, Is.LessThan(1e-20));
            Assert.That(Black76.Price(OptionType.Put, 1000, 700, 1, 1e6, 0.98), Is.EqualTo(700 * 0.98).Within(1e-12));
        });
    }

    [Test]
    public void DeepInAndOutOfTheMoneyNeverGoNegativeOrNaN()
    {
        foreach (double strike in new[] { 1e-300, 1e-12, 1e-3, 1e3, 1e12, 1e300 })
        {
            foreach (OptionType type in new[] { OptionType.Call, OptionType.Put })
            {
                OptionValuation value = BlackScholes.Value(type, 1, strike, 2, 0.8, 0.03, 0.01);
                double[] all = [value.Price, value.Delta, value.Gamma, value.Vega, value.Theta, value.Rho, value.Vanna, value.Volga];
                Assert.That(all, Has.None.NaN, $"{type} at strike {strike}");
                Assert.That(value.Price, Is.GreaterThanOrEqualTo(0));
            }
        }
    }

    [Test]
    public void InputsNoModelHasAreRefusedByName()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => BlackScholes.Value(OptionType.Call, -1, 100, 1, 0.2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("spot"));
            Assert.That(() => BlackScholes.Value(OptionType.Call, 100, double.NaN, 1, 0.2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("strike"));
            Assert.That(() => BlackScholes.Value(OptionType.Call, 100, 100, double.PositiveInfinity, 0.2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("years"));
            Assert.That(() => BlackScholes.Value(OptionType.Call, 100, 100, 1, -0.2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("volatility"));
            Assert.That(() => BlackScholes.Value(OptionType.Call, 100, 100, 1, 0.2, double.NaN), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("rate"));
            Assert.That(() => BlackScholes.Value(OptionType.Call, 100, 100, 1, 0.2, 0, double.NegativeInfinity), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("yield"));
            Assert.That(() => BlackScholes.Value((OptionType)2, 100, 100, 1, 0.2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("type"));
            Assert.That(() => Black76.Value(OptionType.Put, 100, 100, 1, 0.2, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("discountFactor"));
            Assert.That(() => Black76.ImpliedVolatility(OptionType.Put, double.NaN, 100, 100, 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("price"));
        });
    }

    [Test]
    public void TheBatchNamesTheBadOptionsIndexAndChecksItsSpans()
    {
        OptionType[] types = [OptionType.Call, OptionType.Put];
        double[] good = [100, 100];
        double[] years = [1, -1];
        var destination = new OptionValuation[2];
        Assert.Multiple(() =>
        {
            Assert.That(() => BlackScholes.ValueMany(types, good, good, years, good, good, good, destination),
                Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Option 1's years"));
            Assert.That(() => BlackScholes.ValueMany(types, good, good, [1.0], good, good, good, destination), Throws.ArgumentException);
            Assert.That(() => Black76.ValueMany(types, good, good, good, good, good, new OptionValuation[1]), Throws.ArgumentException);
        });
    }

    [Test]
    public void ImpliedVolatilityReportsPricesOutsideTheArbitrageBounds()
    {
        Assert.Multiple(() =>
        {
            // Intrinsic value of the call is D·(F − K) = 9.9.
            Assert.That(Black76.ImpliedVolatility(OptionType.Call, 9.8, 110, 100, 1, 0.99), Is.EqualTo(new ImpliedVolatilityResult(ImpliedVolatilityStatus.BelowIntrinsicValue, 0)));
            Assert.That(Black76.ImpliedVolatility(OptionType.Call, -1, 90, 100, 1, 0.99).Status, Is.EqualTo(ImpliedVolatilityStatus.BelowIntrinsicValue));
            Assert.That(Black76.ImpliedVolatility(OptionType.Call, 0.99 * 110 - 0.99 * 100, 110, 100, 1, 0.99), Is.EqualTo(new ImpliedVolatilityResult(ImpliedVolatilityStatus.Solved, 0)));
            Assert.That(Black76.ImpliedVolatility(OptionType.Call, 108.9, 110, 100, 1, 0.99).Status, Is.EqualTo(ImpliedVolatilityStatus.AtOrAboveMaximumValue));
            Assert.That(Black76.ImpliedVolatility(OptionType.Put, 99.1, 110, 100, 1, 0.99).Status, Is.EqualTo(ImpliedVolatilityStatus.AtOrAboveMaximumValue));
            Assert.That(Black76.ImpliedVolatility(OptionType.Call, 10, 110, 100, 0, 1).Status, Is.EqualTo(ImpliedVolatilityStatus.Indeterminate));
            Assert.That(Black76.ImpliedVolatility(OptionType.Call, 11, 110, 100, 0, 1).Status, Is.EqualTo(ImpliedVolatilityStatus.AtOrAboveMaximumValue));
            Assert.That(BlackScholes.ImpliedVolatility(OptionType.Put, 0, 100, 0, 1, 0.05).Status, Is.EqualTo(ImpliedVolatilityStatus.Indeterminate));
            Assert.That(BlackScholes.ImpliedVolatility(OptionType.Put, double.PositiveInfinity, 100, 100, 1).Status, Is.EqualTo(ImpliedVolatilityStatus.AtOrAboveMaximumValue));
        });
    }

    [Test]
    public void HullsPricesGiveBackTheirVolatility()
    {
        double price = BlackScholes.Price(OptionType.Call, 42, 40, 0.5, 0.20, 0.10);
        ImpliedVolatilityResult result = BlackScholes.ImpliedVolatility(OptionType.Call, price, 42, 40, 0.5, 0.10);
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSolved);
            // The price carries an ulp (9e-16) of rounding, and the out-of-the-money twin's value cancels a few more digits.
            Assert.That(result.Volatility, Is.EqualTo(0.20).Within(1e-14));
        });
    }

    [Test]
    public void AtTheMoneyWithLittleTimeLeftKeepsEveryDigit()
    {
        // One hour to expiry at 50% volatility: N(d1) and N(d2) are both near 1/2, and the value is their difference.
        // 0.2131216160464389340681808 to 25 digits (mpmath at 40). Taking 1/2 + C(d) first would lose the 2.4 digits
        // by which the value is smaller than 1/2·F, about 250 ulps; the inputs' own rounding accounts for a few.
        double price = Black76.Price(OptionType.Call, 100, 100, 1.0 / 8760, 0.5, 1);
        Assert.That(price, Is.EqualTo(0.2131216160464389340681808).Within(1e-15 * price));
    }

    [TestCase(1e-300)]
    [TestCase(1e-100)]
    [TestCase(1e-12)]
    public void ImpliedVolatilityOfATinyAtTheMoneyPriceIsExact(double price)
    {
        // At the money b(0, s) = 2N(s/2) − 1 = s/√(2π) to within s³: σ = price·√(2π)/F exactly, to rounding.
        ImpliedVolatilityResult result = Black76.ImpliedVolatility(OptionType.Call, price, 100, 100, 1, 1);
        Assert.That(result.Volatility, Is.EqualTo(price * Math.Sqrt(2 * Math.PI) / 100).Within(1e-14 * result.Volatility));
    }
}
