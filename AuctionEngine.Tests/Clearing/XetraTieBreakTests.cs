using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Build;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// Xetra's last step: candidates are the limit prices alone, and a tie the surplus cannot break is broken with the
/// reference price R.
/// </summary>
/// <remarks>
/// Two limit prices tie on V and |I| only when D and S are equal at both, which rules out any order strictly between
/// them; so a Xetra tie always has exactly two candidates, and "R is itself a candidate" means R is one of the ends.
/// </remarks>
[TestFixture]
public sealed class XetraTieBreakTests
{
    /// <summary>
    /// p = 10: D = 4 + 2 = 6, S = 4     -> V = 4, I = +2
    /// p = 13: D = 4,     S = 4 + 2 = 6 -> V = 4, I = -2
    /// Mixed surplus: lo = 10 (highest with bid surplus), hi = 13 (lowest with ask surplus).
    /// </summary>
    private static readonly Order[] MixedSurplus = [Buy(1, 13, 4), Buy(2, 10, 2), Sell(3, 10, 4), Sell(4, 13, 2)];

    /// <summary>p = 10 and p = 14: D = 5, S = 5 -> V = 5, I = 0. Zero surplus: lo = 10, hi = 14.</summary>
    private static readonly Order[] ZeroSurplus = [Sell(1, 10, 5), Buy(2, 14, 5)];

    [TestCase(20, ExpectedResult = 13, TestName = "Mixed surplus, R above hi -> hi")]
    [TestCase(13, ExpectedResult = 13, TestName = "Mixed surplus, R at hi -> hi")]
    [TestCase(12, ExpectedResult = 13, TestName = "Mixed surplus, R between and nearer hi -> hi")]
    [TestCase(11, ExpectedResult = 10, TestName = "Mixed surplus, R between and nearer lo -> lo")]
    [TestCase(10, ExpectedResult = 10, TestName = "Mixed surplus, R at lo -> lo")]
    [TestCase(3, ExpectedResult = 10, TestName = "Mixed surplus, R below lo -> lo")]
    public long? MixedSurplusIsResolvedByTheReferencePrice(long reference) =>
        Auction.Clear(MixedSurplus, new ClearingOptions(PriceRule.Xetra, reference)).Result.Price;

    [Test]
    public void MixedSurplusEquallyNearBothEndsTakesTheHigher()
    {
        // p = 10: D = 6, S = 4 -> V = 4, I = +2;  p = 12: D = 4, S = 6 -> V = 4, I = -2.  R = 11 is 1 from each.
        Order[] book = [Buy(1, 12, 4), Buy(2, 10, 2), Sell(3, 10, 4), Sell(4, 12, 2)];

        Assert.That(Auction.Clear(book, new ClearingOptions(PriceRule.Xetra, 11)).Result.Price, Is.EqualTo(12));
    }

    [Test]
    public void MixedSurplusTradesTheShortSideInFullAtTheChosenEnd()
    {
        // At 13: buyers are short (only #1, 4 lots, bids that high); sellers are long and the cheaper #3 covers all 4.
        BatchOutcome outcome = Auction.Clear(MixedSurplus, new ClearingOptions(PriceRule.Xetra, 20));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 4, 0, 4, 0 }));
            Assert.That(outcome.Result.Surplus, Is.EqualTo((UInt128)2));
            Assert.That(outcome.Result.SurplusSide, Is.EqualTo(SurplusSide.Ask));
        }
    }

    [TestCase(11, ExpectedResult = 10, TestName = "Zero surplus, R between and nearer lo -> lo")]
    [TestCase(13, ExpectedResult = 14, TestName = "Zero surplus, R between and nearer hi -> hi")]
    [TestCase(12, ExpectedResult = 14, TestName = "Zero surplus, R equally near both -> the higher")]
    [TestCase(10, ExpectedResult = 10, TestName = "Zero surplus, R is the candidate lo -> lo")]
    [TestCase(14, ExpectedResult = 14, TestName = "Zero surplus, R is the candidate hi -> hi")]
    [TestCase(2, ExpectedResult = 10, TestName = "Zero surplus, R below -> lo")]
    [TestCase(30, ExpectedResult = 14, TestName = "Zero surplus, R above -> hi")]
    public long? ZeroSurplusIsResolvedByTheReferencePrice(long reference) =>
        Auction.Clear(ZeroSurplus, new ClearingOptions(PriceRule.Xetra, reference)).Result.Price;

    [Test]
    public void ZeroSurplusTradesEveryLotAtThePriceChosen()
    {
        BatchOutcome outcome = Auction.Clear(ZeroSurplus, new ClearingOptions(PriceRule.Xetra, 11));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 5, 5 }));
            Assert.That(outcome.Fills.Select(f => f.QuoteAmount), Is.EqualTo(new UInt128[] { 50, 50 }));
            Assert.That(outcome.Result.SurplusSide, Is.EqualTo(SurplusSide.None));
        }
    }

    [Test]
    public void MixedSurplusWithoutAReferencePriceIsReportedNotGuessed()
    {
        BatchOutcome outcome = Auction.Clear(MixedSurplus, new ClearingOptions(PriceRule.Xetra));

        Assert.That(outcome.Result, Is.EqualTo(new ClearingResult
        {
            Status = ClearingStatus.ReferencePriceRequired,
            Rule = PriceRule.Xetra,
            BestBid = 13,
            BestAsk = 10,
            AcceptedCount = 4,
        }));
        Assert.That(outcome.Fills, Is.All.EqualTo(default(Fill)));
    }

    [Test]
    public void ZeroSurplusWithoutAReferencePriceIsReportedNotGuessed()
    {
        BatchOutcome outcome = Auction.Clear(ZeroSurplus, new ClearingOptions(PriceRule.Xetra));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Status, Is.EqualTo(ClearingStatus.ReferencePriceRequired));
            Assert.That(outcome.Result.Price, Is.Null);
            Assert.That(outcome.FilledQuantities, Is.All.Zero);
        }
    }

    [Test]
    public void TicksBetweenLimitsAreNotCandidates()
    {
        // Between 10 and 13, at 11 and 12, D = 4 and S = 4 would balance (I = 0), but Xetra looks at limits only.
        Assert.That(Auction.Clear(MixedSurplus, new ClearingOptions(PriceRule.Xetra, 11)).Result.Price, Is.Not.InRange(11, 12));
    }
}
