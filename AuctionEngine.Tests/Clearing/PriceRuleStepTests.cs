using AuctionEngine.Clearing;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Build;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// The steps every price rule shares: the highest executable volume V, then the lowest absolute surplus |I|, then,
/// when every remaining candidate has its surplus on one side, the highest (bid) or lowest (ask) of them. None of these
/// books needs a reference price, and each clears alike under every rule.
/// </summary>
[TestFixture(PriceRule.Xetra)]
[TestFixture(PriceRule.Euronext)]
[TestFixture(PriceRule.Midpoint)]
public sealed class PriceRuleStepTests(PriceRule rule)
{
    [Test]
    public void HighestExecutableVolumeWinsOverALowerSurplus()
    {
        // p = 9:  D = 5 + 5 = 10, S = 3          -> V = 3
        // p = 10: D = 10,         S = 3 + 4 = 7  -> V = 7, I = +3
        // p = 11: D = 5,          S = 7          -> V = 5, I = -2 (a smaller surplus, but less volume)
        BatchOutcome outcome = Auction.Clear([Buy(1, 11, 5), Buy(2, 10, 5), Sell(3, 9, 3), Sell(4, 10, 4)], new ClearingOptions(rule));

        Assert.That(outcome.Result, Is.EqualTo(new ClearingResult
        {
            Status = ClearingStatus.Cleared,
            Rule = rule,
            Price = 10,
            Volume = 7,
            Surplus = 3,
            SurplusSide = SurplusSide.Bid,
            BestBid = 11,
            BestAsk = 9,
            AcceptedCount = 4,
            FilledCount = 4,
            RationedCount = 1,
        }));

        // Buyers are long: #1 (limit 11) fills first; #2 alone on the marginal level 10 gets the 7 - 5 = 2 left.
        Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 5, 2, 3, 4 }));
    }

    [Test]
    public void LowestAbsoluteSurplusBreaksAVolumeTie()
    {
        // p = 10: D = 4 + 2 = 6, S = 4          -> V = 4, I = +2
        // p = 11: D = 4,         S = 4 + 1 = 5  -> V = 4, I = -1: same volume, smaller surplus
        BatchOutcome outcome = Auction.Clear([Buy(1, 11, 4), Buy(2, 10, 2), Sell(3, 10, 4), Sell(4, 11, 1)], new ClearingOptions(rule));

        Assert.That(outcome.Result, Is.EqualTo(new ClearingResult
        {
            Status = ClearingStatus.Cleared,
            Rule = rule,
            Price = 11,
            Volume = 4,
            Surplus = 1,
            SurplusSide = SurplusSide.Ask,
            BestBid = 11,
            BestAsk = 10,
            AcceptedCount = 4,
            FilledCount = 2,
        }));

        // #2 bids 10 < 11 and cannot trade; sellers are long and the cheaper #3 covers all 4 lots, leaving #4 nothing.
        Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 4, 0, 4, 0 }));
    }

    [Test]
    public void BidSurplusAtEveryRemainingCandidateTakesTheHighest()
    {
        // Every candidate from 10 to 12 (the limits, and for Midpoint and Euronext the tick between):
        // D = 5, S = 3 -> V = 3, I = +2. Buyers are short of supply everywhere: the highest price, 12.
        BatchOutcome outcome = Auction.Clear([Sell(1, 10, 3), Buy(2, 12, 5)], new ClearingOptions(rule));

        Assert.That(outcome.Result, Is.EqualTo(new ClearingResult
        {
            Status = ClearingStatus.Cleared,
            Rule = rule,
            Price = 12,
            Volume = 3,
            Surplus = 2,
            SurplusSide = SurplusSide.Bid,
            BestBid = 12,
            BestAsk = 10,
            AcceptedCount = 2,
            FilledCount = 2,
            RationedCount = 1,
        }));
        Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 3, 3 }));
    }

    [Test]
    public void AskSurplusAtEveryRemainingCandidateTakesTheLowest()
    {
        // Every candidate from 10 to 12: D = 3, S = 5 -> V = 3, I = -2. Sellers are long everywhere: the lowest, 10.
        BatchOutcome outcome = Auction.Clear([Sell(1, 10, 5), Buy(2, 12, 3)], new ClearingOptions(rule));

        Assert.That(outcome.Result, Is.EqualTo(new ClearingResult
        {
            Status = ClearingStatus.Cleared,
            Rule = rule,
            Price = 10,
            Volume = 3,
            Surplus = 2,
            SurplusSide = SurplusSide.Ask,
            BestBid = 12,
            BestAsk = 10,
            AcceptedCount = 2,
            FilledCount = 2,
            RationedCount = 1,
        }));
        Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 3, 3 }));
    }

    [Test]
    public void MarketOrdersAgainstALimitNeedNoReferencePrice()
    {
        // The only candidate is 10 (Euronext has no reference price to extend to): D = 5, S = 3 -> V = 3, I = +2.
        BatchOutcome outcome = Auction.Clear([MarketBuy(1, 5), Sell(2, 10, 3)], new ClearingOptions(rule));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Status, Is.EqualTo(ClearingStatus.Cleared));
            Assert.That(outcome.Result.Price, Is.EqualTo(10));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 3, 3 }));
            Assert.That(outcome.FillOf(1).QuoteAmount, Is.EqualTo((UInt128)30));
        }
    }

    [Test]
    public void QuoteAmountIsLotsTimesPriceTimesTickSize()
    {
        // Lot 7 base atoms, tick 3 quote atoms: 5 lots at 10 ticks move 5 × 10 × 3 = 150 quote atoms each way.
        BatchOutcome outcome = Auction.Clear([Buy(1, 10, 5), Sell(2, 10, 5)], new ClearingOptions(rule), MarketWith(lotSize: 7, tickSize: 3));

        Assert.That(outcome.Fills.Select(f => f.QuoteAmount), Is.EqualTo(new UInt128[] { 150, 150 }));
    }
}
