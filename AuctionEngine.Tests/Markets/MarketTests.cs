using System.Globalization;
using System.Numerics;
using AuctionEngine.Markets;
using AuctionEngine.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Tests.Markets;

/// <summary>
/// A market's sizes and bounds: the bounds are exactly the largest that keep q × maxPrice × tickSize and q × lotSize
/// within UInt128, so that no accepted order can overflow a batch.
/// </summary>
[TestFixture]
public sealed class MarketTests
{
    private static readonly UInt128 TwoTo64 = (UInt128)ulong.MaxValue + 1;

    [Test]
    public void KeepsWhatItWasGiven()
    {
        Market market = Build.MarketWith(lotSize: 7, tickSize: 11, maxPrice: 1_000, maxOrderQuantity: 50);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(market.BaseToken, Is.EqualTo(Build.BaseToken));
            Assert.That(market.QuoteToken, Is.EqualTo(Build.QuoteToken));
            Assert.That(market.LotSize, Is.EqualTo((UInt128)7));
            Assert.That(market.TickSize, Is.EqualTo((UInt128)11));
            Assert.That(market.MaxPrice, Is.EqualTo(1_000));
            Assert.That(market.MaxOrderQuantity, Is.EqualTo(50));
        }
    }

    [Test]
    public void UnitSizesAllowEveryPositiveLong()
    {
        // (2^63 - 1)^2 < 2^128: any price with any quantity fits.
        Market market = Build.UnitMarket();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(market.MaxPrice, Is.EqualTo(long.MaxValue));
            Assert.That(market.MaxOrderQuantity, Is.EqualTo(long.MaxValue));
        }
    }

    [Test]
    public void DefaultQuantityBoundIsTheLargestThatFits()
    {
        // Lot 10^18, tick 10^6, prices up to 2^63 - 1: floor(floor((2^128 - 1) / (2^63 - 1)) / 10^6) = 36893488147419 by
        // notional; the base bound (2^128 - 1) / 10^18 ≈ 3.4 × 10^20 is looser.
        Market market = Build.MarketWith(lotSize: 1_000_000_000_000_000_000, tickSize: 1_000_000);
        BigInteger limit = BigInteger.Pow(2, 128);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(market.MaxOrderQuantity, Is.EqualTo(36893488147419));
            Assert.That(market.MaxOrderQuantity * (BigInteger)long.MaxValue * 1_000_000, Is.LessThan(limit));
            Assert.That((market.MaxOrderQuantity + 1) * (BigInteger)long.MaxValue * 1_000_000, Is.GreaterThanOrEqualTo(limit));
        }
    }

    [TestCase(0UL, 1UL)]
    [TestCase(1UL, 0UL)]
    public void ZeroLotOrTickSizeThrows(ulong lotSize, ulong tickSize) =>
        Assert.That(() => Build.MarketWith(lotSize, tickSize), Throws.TypeOf<ArgumentOutOfRangeException>());

    [TestCase(0L, 1L)]
    [TestCase(-1L, 1L)]
    [TestCase(1L, 0L)]
    [TestCase(1L, -1L)]
    public void NonPositiveBoundThrows(long maxPrice, long maxOrderQuantity) =>
        Assert.That(() => Build.MarketWith(UInt128.One, UInt128.One, maxPrice, maxOrderQuantity), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void NotionalBoundIsExact()
    {
        // Tick 2^64, prices up to 2^40: floor(floor((2^128 - 1) / 2^40) / 2^64) = 2^24 - 1 lots.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Build.MarketWith(UInt128.One, TwoTo64, 1L << 40, (1L << 24) - 1).MaxOrderQuantity, Is.EqualTo((1L << 24) - 1));
            Assert.That(() => Build.MarketWith(UInt128.One, TwoTo64, 1L << 40, 1L << 24), Throws.TypeOf<ArgumentOutOfRangeException>());
        }
    }

    [Test]
    public void BaseBoundIsExact()
    {
        // Lot 2^100: floor((2^128 - 1) / 2^100) = 2^28 - 1 lots.
        UInt128 lot = UInt128.One << 100;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Build.MarketWith(lot, UInt128.One, 1, (1L << 28) - 1).MaxOrderQuantity, Is.EqualTo((1L << 28) - 1));
            Assert.That(() => Build.MarketWith(lot, UInt128.One, 1, 1L << 28), Throws.TypeOf<ArgumentOutOfRangeException>());
        }
    }

    [Test]
    public void SizesTooLargeForOneLotAtTheTopPriceThrow()
    {
        // With the default bounds, one lot at 2^63 - 1 ticks of UInt128.MaxValue atoms cannot fit.
        Assert.That(() => Build.MarketWith(UInt128.One, UInt128.MaxValue), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void BaseAtomsAreLotsTimesLotSize()
    {
        Market market = Build.MarketWith(lotSize: 1_000_000_000_000_000_000, tickSize: 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(market.BaseAtoms(0), Is.EqualTo(UInt128.Zero));
            Assert.That(market.BaseAtoms(3), Is.EqualTo((UInt128)3_000_000_000_000_000_000));
            Assert.That(market.BaseAtoms(long.MaxValue), Is.EqualTo(UInt128.Parse("9223372036854775807000000000000000000", CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public void QuoteAtomsAreLotsTimesPriceTimesTickSize()
    {
        Market market = Build.MarketWith(lotSize: 1, tickSize: 10_000);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(market.QuoteAtoms(0, 250_010), Is.EqualTo(UInt128.Zero));
            Assert.That(market.QuoteAtoms(35, 250_010), Is.EqualTo((UInt128)87_503_500_000)); // 35 × 250,010 × 10,000
            Assert.That(market.QuoteAtoms(long.MaxValue, 0), Is.EqualTo(UInt128.Zero));
        }
    }

    [Test]
    public void NegativeLotsOrPriceThrow()
    {
        Market market = Build.UnitMarket();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => market.BaseAtoms(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => market.QuoteAtoms(-1, 10), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => market.QuoteAtoms(10, -1), Throws.TypeOf<ArgumentOutOfRangeException>());
        }
    }

    [Test]
    public void AtomsBeyondTheBoundsOverflowInsteadOfWrapping()
    {
        // 2^28 lots of 2^100 atoms is 2^128; 2^40 lots at 2^40 ticks of 2^64 atoms is 2^144.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => Build.MarketWith(UInt128.One << 100, UInt128.One, 1, 1).BaseAtoms(1L << 28), Throws.TypeOf<OverflowException>());
            Assert.That(() => Build.MarketWith(UInt128.One, TwoTo64, 1, 1).QuoteAtoms(1L << 40, 1L << 40), Throws.TypeOf<OverflowException>());
        }
    }
}
