using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Build;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// Midpoint (the default rule): candidates are every tick from the lowest to the highest limit, and a remaining tie
/// resolves to lo + (hi - lo + 1) / 2, the midpoint rounded half up; no reference price is consulted.
/// </summary>
[TestFixture]
public sealed class MidpointTieBreakTests
{
    [Test]
    public void IsTheDefaultRule() =>
        Assert.That(Auction.Clear([Sell(1, 10, 5), Buy(2, 13, 5)]).Result.Rule, Is.EqualTo(PriceRule.Midpoint));

    [Test]
    public void OddTiedRangeTakesItsMiddleTick()
    {
        // 10..12: D = 5, S = 5, I = 0 throughout. 10 + (12 - 10 + 1) / 2 = 10 + 1 = 11.
        Assert.That(Auction.Clear([Sell(1, 10, 5), Buy(2, 12, 5)], new ClearingOptions(PriceRule.Midpoint)).Result.Price, Is.EqualTo(11));
    }

    [Test]
    public void EvenTiedRangeRoundsItsMiddleUp()
    {
        // 10..13: I = 0 throughout. The middle is 11.5: 10 + (13 - 10 + 1) / 2 = 10 + 2 = 12.
        Assert.That(Auction.Clear([Sell(1, 10, 5), Buy(2, 13, 5)], new ClearingOptions(PriceRule.Midpoint)).Result.Price, Is.EqualTo(12));
    }

    [Test]
    public void MixedSurplusOnAdjacentTicksTakesTheUpperOne()
    {
        // p = 10: D = 6, S = 4 -> I = +2;  p = 11: D = 4, S = 6 -> I = -2.  10 + (11 - 10 + 1) / 2 = 11.
        Order[] book = [Buy(1, 11, 4), Buy(2, 10, 2), Sell(3, 10, 4), Sell(4, 11, 2)];

        Assert.That(Auction.Clear(book, new ClearingOptions(PriceRule.Midpoint)).Result.Price, Is.EqualTo(11));
    }

    [Test]
    public void MixedSurplusTakesTheMiddleOfTheBoundaryPairNotOfEveryTiedTick()
    {
        // p = 4..10: D = 5, S = 3 -> V = 3, I = +2;  p = 11..13: D = 3, S = 5 -> V = 3, I = -2.
        // Boundary pair 10, 11: 10 + 2 / 2 = 11.  (The middle of all tied ticks 4..13 would be 4 + 10 / 2 = 9.)
        Order[] book = [Sell(1, 4, 3), Buy(2, 10, 2), Sell(3, 11, 2), Buy(4, 13, 3)];

        Assert.That(Auction.Clear(book, new ClearingOptions(PriceRule.Midpoint)).Result.Price, Is.EqualTo(11));
    }

    [Test]
    public void TicksNoOrderNamesCanBeThePrice()
    {
        // p = 10: I = +2;  p = 11, 12: D = 4, S = 4, I = 0;  p = 13: I = -2, all with V = 4.
        // Zero surplus over 11..12: 11 + 2 / 2 = 12, a price no order named.
        Order[] book = [Buy(1, 13, 4), Buy(2, 10, 2), Sell(3, 10, 4), Sell(4, 13, 2)];

        BatchOutcome outcome = Auction.Clear(book, new ClearingOptions(PriceRule.Midpoint));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Price, Is.EqualTo(12));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 4, 0, 4, 0 }));
        }
    }

    [TestCase(null)]
    [TestCase(10L)]
    [TestCase(13L)]
    [TestCase(1000L)]
    public void IgnoresTheReferencePriceWhenTheBookHasLimits(long? reference)
    {
        // 10..13 tie with I = 0 -> 12, whatever R says (and without R, the tie needs none).
        BatchOutcome outcome = Auction.Clear([Sell(1, 10, 5), Buy(2, 13, 5)], new ClearingOptions(PriceRule.Midpoint, reference));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Status, Is.EqualTo(ClearingStatus.Cleared));
            Assert.That(outcome.Result.Price, Is.EqualTo(12));
        }
    }
}
