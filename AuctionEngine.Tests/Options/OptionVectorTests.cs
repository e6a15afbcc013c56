using AuctionEngine.Options;
using NUnit.Framework;

namespace AuctionEngine.Tests.Options;

/// <summary>Published values: Hull's textbook examples and the nine vectors of Derive's lyra-utils Black76.t.sol.</summary>
[TestFixture]
public sealed class OptionVectorTests
{
    [Test]
    public void HullsCallAndPutExamplePrices()
    {
        // Hull, Options, Futures and Other Derivatives: S = 42, K = 40, r = 10%, σ = 20%, six months.
        Assert.That(BlackScholes.Price(OptionType.Call, 42, 40, 0.5, 0.20, 0.10), Is.EqualTo(4.7594).Within(0.00005));
        Assert.That(BlackScholes.Price(OptionType.Put, 42, 40, 0.5, 0.20, 0.10), Is.EqualTo(0.8086).Within(0.00005));
    }

    [Test]
    public void HullGreeksExampleGivesEachGreekToItsPublishedDigits()
    {
        // Hull's running Greeks example: S = 49, K = 50, r = 5%, σ = 20%, 20 weeks.
        OptionValuation call = BlackScholes.Value(OptionType.Call, 49, 50, 20.0 / 52, 0.20, 0.05);
        Assert.Multiple(() =>
        {
            Assert.That(call.Delta, Is.EqualTo(0.522).Within(0.0005));
            Assert.That(call.Gamma, Is.EqualTo(0.0655).Within(0.00005));
            Assert.That(call.Vega, Is.EqualTo(12.1).Within(0.05));
            Assert.That(call.Theta, Is.EqualTo(-4.31).Within(0.005));
            Assert.That(call.Rho, Is.EqualTo(8.91).Within(0.005));
        });
    }

    private const double Wei = 1e-18;
    private const double Uint128Max = 340282366920938463463374607431768211455.0;
    private const double Week = 7.0 * 86400, Month = 30.0 * 86400, TwoDays = 2.0 * 86400, Year = 365.0 * 86400;

    // (seconds to expiry, volatility, forward, strike, discount, expected call, expected put), in units of 1e18 wei as the Solidity test writes them.
    private static readonly object[] DeriveBlack76Vectors =
    [
        new object[] { Week, 1.0, 1500.0, 1500.0, 1.0, 82.805080668634559515, 82.805080668634559515 },
        new object[] { Month, 0.25, 1000.0, 1200.0, 0.9991784198737006, 0.137082128426579297, 199.972766103166719631 },
        new object[] { TwoDays, 0.75, 1000.0, 700.0, 0.9998904169635637, 299.967125089526177817, 0.00000000045708468 },
        new object[] { Year, 25.0, 1000.0, 700.0, 0.9801986733067553, 980.198673306755267731, 686.139071314728653306 },
        new object[] { Year, 5.0, 1000.0, 700.0, 0.9801986733067553, 970.034553583819047162, 675.974951591792546424 },
        new object[] { Year, 4.0, Wei, Uint128Max * Wei, 1.0, 0.0, Uint128Max * Wei },
        new object[] { Year, 4.0, Uint128Max * Wei, Wei, 1.0, Uint128Max * Wei, 0.0 },
        new object[] { Year, 4.0, 1000.0, 0.0, 0.99, 990.0, 0.0 },
        new object[] { Year, 4.0, 0.0, 1000.0, 0.99, 0.0, 990.0 },
    ];

    [TestCaseSource(nameof(DeriveBlack76Vectors))]
    public void DeriveBlack76VectorsHoldToTheirPublishedTolerance(double seconds, double volatility, double forward, double strike, double discount, double call, double put)
    {
        // lyra-utils asserts |price − benchmark| ≤ 1e-12 (1e6 wei); the uint128 bounds can only be met exactly.
        double years = OptionTime.Years((long)seconds);
        Assert.Multiple(() =>
        {
            Assert.That(Black76.Price(OptionType.Call, forward, strike, years, volatility, discount), Is.EqualTo(call).Within(1e-12));
            Assert.That(Black76.Price(OptionType.Put, forward, strike, years, volatility, discount), Is.EqualTo(put).Within(1e-12));
        });
    }

    [Test]
    public void AYearIsThreeHundredSixtyFiveDaysOfSeconds()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OptionTime.SecondsPerYear, Is.EqualTo(31_536_000));
            Assert.That(OptionTime.Years(31_536_000), Is.EqualTo(1.0));
            Assert.That(OptionTime.Years(0), Is.EqualTo(0.0));
            Assert.That(OptionTime.YearsToExpiry(1_700_000_000, 1_700_000_000 + 15_768_000), Is.EqualTo(0.5));
            Assert.That(OptionTime.YearsToExpiry(1_700_000_001, 1_700_000_000), Is.EqualTo(0.0), "an expired option has no time left");
            Assert.That(OptionTime.YearsToExpiry(long.MinValue, long.MaxValue), Is.EqualTo((double)ulong.MaxValue / 31_536_000));
            Assert.That(() => OptionTime.Years(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }
}
