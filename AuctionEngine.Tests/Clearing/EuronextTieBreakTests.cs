using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Build;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// Euronext: candidates are every tick from the lowest to the highest of the limits and the reference price R, so R
/// itself is the price whenever it lies inside a tied range; R beyond the limits stretches the candidates out to it.
/// </summary>
[TestFixture]
public sealed class EuronextTieBreakTests
{
    /// <summary>Every tick from 10 to 14: D = 5, S = 5 -> V = 5, I = 0. Below 10 S = 0, above 14 D = 0.</summary>
    private static readonly Order[] ZeroSurplus = [Sell(1, 10, 5), Buy(2, 14, 5)];

    /// <summary>
    /// p = 10:      D = 6, S = 4 -> V = 4, I = +2
    /// p = 11, 12:  D = 4, S = 4 -> V = 4, I = 0  (ticks no order names)
    /// p = 13:      D = 4, S = 6 -> V = 4, I = -2
    /// The gap wins on |I|: zero surplus over 11..12.
    /// </summary>
    private static readonly Order[] BalancedGap = [Buy(1, 13, 4), Buy(2, 10, 2), Sell(3, 10, 4), Sell(4, 13, 2)];

    /// <summary>
    /// p = 4..10:   D = 2 + 3 = 5, S = 3     -> V = 3, I = +2
    /// p = 11..13:  D = 3,     S = 3 + 2 = 5 -> V = 3, I = -2
    /// Every tick from 4 to 13 ties, with mixed surplus: the range is the boundary pair lo = 10, hi = 11.
    /// </summary>
    private static readonly Order[] MixedSurplus = [Sell(1, 4, 3), Buy(2, 10, 2), Sell(3, 11, 2), Buy(4, 13, 3)];

    [TestCase(11, ExpectedResult = 11, TestName = "Zero surplus, R inside the tied range -> R (11)")]
    [TestCase(12, ExpectedResult = 12, TestName = "Zero surplus, R inside the tied range -> R (12)")]
    [TestCase(13, ExpectedResult = 13, TestName = "Zero surplus, R inside the tied range -> R (13)")]
    [TestCase(10, ExpectedResult = 10, TestName = "Zero surplus, R at lo -> lo")]
    [TestCase(14, ExpectedResult = 14, TestName = "Zero surplus, R at hi -> hi")]
    [TestCase(2, ExpectedResult = 10, TestName = "Zero surplus, R below the limits -> lo (2..9 trade nothing)")]
    [TestCase(30, ExpectedResult = 14, TestName = "Zero surplus, R above the limits -> hi (15..30 trade nothing)")]
    public long? ZeroSurplusTakesTheReferencePriceWhenInside(long reference) =>
        Auction.Clear(ZeroSurplus, new ClearingOptions(PriceRule.Euronext, reference)).Result.Price;

    [TestCase(11, ExpectedResult = 11)]
    [TestCase(12, ExpectedResult = 12)]
    [TestCase(20, ExpectedResult = 12)]
    [TestCase(3, ExpectedResult = 11)]
    public long? TicksBetweenLimitsAreCandidates(long reference) =>
        Auction.Clear(BalancedGap, new ClearingOptions(PriceRule.Euronext, reference)).Result.Price;

    [TestCase(7, ExpectedResult = 10, TestName = "Mixed surplus, R inside the tied ticks but below the boundary pair -> lo")]
    [TestCase(2, ExpectedResult = 10, TestName = "Mixed surplus, R below every limit -> lo")]
    [TestCase(10, ExpectedResult = 10, TestName = "Mixed surplus, R at lo -> lo")]
    [TestCase(11, ExpectedResult = 11, TestName = "Mixed surplus, R at hi -> hi")]
    [TestCase(12, ExpectedResult = 11, TestName = "Mixed surplus, R above the boundary pair -> hi")]
    [TestCase(50, ExpectedResult = 11, TestName = "Mixed surplus, R above every limit -> hi")]
    public long? MixedSurplusUsesTheBoundaryPair(long reference) =>
        Auction.Clear(MixedSurplus, new ClearingOptions(PriceRule.Euronext, reference)).Result.Price;

    [TestCase(12, ExpectedResult = 12)]
    [TestCase(15, ExpectedResult = 15)]
    [TestCase(40, ExpectedResult = 40)]
    public long? ReferencePriceAboveTheLimitsStretchesTheCandidates(long reference)
    {
        // Only the limit 10 is in the book, but from 10 up to R: D = 5 (the market buy), S = 5 -> V = 5, I = 0.
        // The tied range is 10..R, so R is chosen.
        return Auction.Clear([MarketBuy(1, 5), Sell(2, 10, 5)], new ClearingOptions(PriceRule.Euronext, reference)).Result.Price;
    }

    [Test]
    public void ReferencePriceBelowTheLimitsStretchesTheCandidates()
    {
        // From R = 7 up to the only limit 10: D = 5 (the buy's limit is above), S = 5 (the market sell) -> V = 5, I = 0.
        BatchOutcome outcome = Auction.Clear([MarketSell(1, 5), Buy(2, 10, 5)], new ClearingOptions(PriceRule.Euronext, 7));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Price, Is.EqualTo(7));
            Assert.That(outcome.Fills.Select(f => f.QuoteAmount), Is.EqualTo(new UInt128[] { 35, 35 }));
        }
    }

    [TestCase(PriceRule.Xetra)]
    [TestCase(PriceRule.Midpoint)]
    public void OtherRulesDoNotStretchTheCandidatesToTheReferencePrice(PriceRule rule)
    {
        // Their only candidate is the limit 10.
        Assert.That(Auction.Clear([MarketBuy(1, 5), Sell(2, 10, 5)], new ClearingOptions(rule, 15)).Result.Price, Is.EqualTo(10));
    }

    [Test]
    public void StretchedTicksThatTradeLessDoNotWin()
    {
        // At 10: V = 5. From 11 up to R = 20: D = 0, V = 0.
        Assert.That(Auction.Clear([Buy(1, 10, 5), Sell(2, 10, 5)], new ClearingOptions(PriceRule.Euronext, 20)).Result.Price, Is.EqualTo(10));
    }

    [Test]
    public void TieWithoutAReferencePriceIsReportedNotGuessed()
    {
        BatchOutcome outcome = Auction.Clear(ZeroSurplus, new ClearingOptions(PriceRule.Euronext));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Status, Is.EqualTo(ClearingStatus.ReferencePriceRequired));
            Assert.That(outcome.FilledQuantities, Is.All.Zero);
        }
    }
}
