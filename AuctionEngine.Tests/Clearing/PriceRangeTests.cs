using System.Globalization;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Build;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// Prices anywhere in the positive 63-bit range. The engine bins a narrow range of limits into a histogram and sorts a
/// wide one; both must give the answer the rules give, and moving a book up the range must only move its price.
/// </summary>
[TestFixture]
public sealed class PriceRangeTests
{
    private const long Max = long.MaxValue;

    /// <summary>Far enough up that every limit and reference price below lands within 20 ticks of <see cref="long.MaxValue"/>.</summary>
    private const long Shift = Max - 20;

    /// <summary>A sell at 1 and a buy at 2^63 - 1: every tick between has D = 5, S = 5, I = 0.</summary>
    private static readonly Order[] WholeRange = [Sell(1, 1, 5), Buy(2, Max, 5)];

    [Test]
    public void MidpointOfTheWholeRangeIsExact()
    {
        // 1 + (Max - 1 + 1) / 2 = 1 + 4611686018427387903 = 2^62.
        Assert.That(Auction.Clear(WholeRange, new ClearingOptions(PriceRule.Midpoint)).Result.Price, Is.EqualTo(4611686018427387904));
    }

    [Test]
    public void XetraTieAcrossTheWholeRangeTakesTheHigherEnd()
    {
        // R = 2^62 is 2^62 - 1 above 1 and Max - 2^62 = 2^62 - 1 below Max: equally near, so the higher, Max.
        BatchOutcome outcome = Auction.Clear(WholeRange, new ClearingOptions(PriceRule.Xetra, 4611686018427387904));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Price, Is.EqualTo(Max));
            Assert.That(outcome.FillOf(1).QuoteAmount, Is.EqualTo(UInt128.Parse("46116860184273879035", CultureInfo.InvariantCulture))); // 5 × Max
        }
    }

    [Test]
    public void EuronextTieAcrossTheWholeRangeTakesTheReferencePrice() =>
        Assert.That(Auction.Clear(WholeRange, new ClearingOptions(PriceRule.Euronext, 4611686018427387904)).Result.Price, Is.EqualTo(4611686018427387904));

    private static IEnumerable<TestCaseData> NarrowBooks()
    {
        // Hand-cleared in the rule tests; no market sells, so a buy at price 1 can never trade.
        yield return new TestCaseData(new[] { Sell(1, 4, 3), Buy(2, 10, 2), Sell(3, 11, 2), Buy(4, 13, 3) }, new ClearingOptions(PriceRule.Midpoint), 11L)
            .SetArgDisplayNames("Midpoint, mixed surplus");
        yield return new TestCaseData(new[] { Buy(1, 13, 4), Buy(2, 10, 2), Sell(3, 10, 4), Sell(4, 13, 2) }, new ClearingOptions(PriceRule.Xetra, 11), 10L)
            .SetArgDisplayNames("Xetra, mixed surplus, R nearer lo");
        yield return new TestCaseData(new[] { Sell(1, 10, 5), Buy(2, 14, 5) }, new ClearingOptions(PriceRule.Euronext, 12), 12L)
            .SetArgDisplayNames("Euronext, R inside a zero-surplus range");
        yield return new TestCaseData(new[] { MarketBuy(1, 5), Sell(2, 10, 5) }, new ClearingOptions(PriceRule.Euronext, 15), 15L)
            .SetArgDisplayNames("Euronext, R above the limits");
        yield return new TestCaseData(new[] { Buy(1, 12, 4), Buy(2, 11, 3), Buy(3, 11, 3), Buy(4, 10, 5), Sell(5, 10, 6) }, new ClearingOptions(PriceRule.Midpoint), 11L)
            .SetArgDisplayNames("Midpoint, rationed level");
    }

    [TestCaseSource(nameof(NarrowBooks))]
    public void ShiftingABookToTheTopOfTheRangeOnlyShiftsItsPrice(Order[] book, ClearingOptions options, long price)
    {
        Order[] shifted = [.. book.Select(o => o.ShiftedBy(Shift))];
        ClearingOptions shiftedOptions = options with { ReferencePrice = options.ReferencePrice + Shift };

        BatchOutcome narrowAtTheBottom = Auction.Clear(book, options);
        BatchOutcome narrowAtTheTop = Auction.Clear(shifted, shiftedOptions);

        // A buy at 1 that cannot trade stretches the limits over the whole range: the engine must sort, not bin.
        BatchOutcome wide = Auction.Clear([.. shifted, Buy(99, 1, 1)], shiftedOptions);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(narrowAtTheBottom.Result.Price, Is.EqualTo(price));
            Assert.That(narrowAtTheTop.Result.Price, Is.EqualTo(price + Shift));
            Assert.That(wide.Result.Price, Is.EqualTo(price + Shift));
            Assert.That(narrowAtTheTop.FilledQuantities, Is.EqualTo(narrowAtTheBottom.FilledQuantities));
            Assert.That(wide.FilledQuantities, Is.EqualTo(narrowAtTheBottom.FilledQuantities.Append(0)));
            Assert.That(wide.Result.Volume, Is.EqualTo(narrowAtTheBottom.Result.Volume));
        }
    }
}
