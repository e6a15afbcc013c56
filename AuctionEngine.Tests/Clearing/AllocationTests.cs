using System.Globalization;
using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Build;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// Who gets what at the clearing price: the short side in full; the long side by price priority (market orders
/// first), the marginal level pro rata, floor(q × available / total) each, leftover lots one each by largest
/// remainder, then lower priority key, then lower id.
/// </summary>
[TestFixture]
public sealed class AllocationTests
{
    private const long Max = long.MaxValue;

    [Test]
    public void PriorityKeyDecidesBetweenEqualRemainders()
    {
        // 3 buyers of 1 lot share 2: each floor(1 × 2 / 3) = 0, remainder 2. The 2 leftover lots go to keys 10 and 20.
        BatchOutcome outcome = Auction.Clear([Buy(1, 10, 1, priorityKey: 30), Buy(2, 10, 1, priorityKey: 10), Buy(3, 10, 1, priorityKey: 20), Sell(4, 10, 2)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 0, 1, 1, 2 }));
            Assert.That(outcome.Result.RationedCount, Is.EqualTo(3));
            Assert.That(outcome.Result.FilledCount, Is.EqualTo(3));
        }
    }

    [Test]
    public void IdDecidesBetweenEqualRemaindersAndKeys()
    {
        // 3 buyers of 1 lot, same key, share 1: the lowest id, 3.
        BatchOutcome outcome = Auction.Clear([Buy(7, 10, 1, priorityKey: 5), Buy(3, 10, 1, priorityKey: 5), Buy(5, 10, 1, priorityKey: 5), Sell(9, 10, 1)]);

        Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 0, 1, 0, 1 }));
    }

    [Test]
    public void LargestRemainderBeatsALowerKey()
    {
        // 3, 3 and 4 lots share 7 of 10: 21/10 = 2 r 1, 21/10 = 2 r 1, 28/10 = 2 r 8. Allotted 6; the leftover lot goes
        // to the largest remainder, #3, although its key is the worst.
        BatchOutcome outcome = Auction.Clear([Buy(1, 10, 3, priorityKey: 1), Buy(2, 10, 3, priorityKey: 2), Buy(3, 10, 4, priorityKey: 99), Sell(4, 10, 7)]);

        Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 2, 2, 3, 7 }));
    }

    [Test]
    public void EqualRemaindersPassOverASmallerRemainderWithABetterKey()
    {
        // 3, 3 and 4 lots share 5 of 10: 15/10 = 1 r 5, 15/10 = 1 r 5, 20/10 = 2 r 0. Allotted 4; the leftover lot is
        // between the two remainders of 5 and goes to key 1 (#2). #3's key 0 does not help it: its remainder is 0.
        BatchOutcome outcome = Auction.Clear([Buy(1, 10, 3, priorityKey: 2), Buy(2, 10, 3, priorityKey: 1), Buy(3, 10, 4, priorityKey: 0), Sell(4, 10, 5)]);

        Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 1, 2, 2, 5 }));
    }

    [Test]
    public void BetterBuyLevelsFillBeforeTheMarginalOne()
    {
        // p = 10: D = 15, S = 6 -> V = 6, I = +9;  p = 11: D = 10, S = 6 -> V = 6, I = +4;  p = 12: D = 4 -> V = 4.
        // Price 11. #1 (12) fills 4; level 11 (#2, #3: 6 lots) shares the other 2: 3 × 2 / 6 = 1 each; #4 bids below.
        BatchOutcome outcome = Auction.Clear([Buy(1, 12, 4), Buy(2, 11, 3), Buy(3, 11, 3), Buy(4, 10, 5), Sell(5, 10, 6)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Price, Is.EqualTo(11));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 4, 1, 1, 0, 6 }));
            Assert.That(outcome.Result.RationedCount, Is.EqualTo(2));
        }
    }

    [Test]
    public void BetterSellLevelsFillBeforeTheMarginalOne()
    {
        // p = 8: V = 4;  p = 9 and 10: D = 6, S = 10 -> V = 6, I = -4: ask surplus everywhere, the lowest, 9.
        // #1 (8) fills 4; level 9 (#2, #3: 6 lots) shares the other 2: 1 each.
        BatchOutcome outcome = Auction.Clear([Sell(1, 8, 4), Sell(2, 9, 3), Sell(3, 9, 3), Buy(4, 10, 6)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Price, Is.EqualTo(9));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 4, 1, 1, 6 }));
            Assert.That(outcome.Result.SurplusSide, Is.EqualTo(SurplusSide.Ask));
        }
    }

    [TestCase(PriceRule.Xetra)]
    [TestCase(PriceRule.Euronext)]
    [TestCase(PriceRule.Midpoint)]
    public void MarketBuysBeyondTheSupplyShareItAndLimitBuysGetNothing(PriceRule rule)
    {
        // At 10, 11 and 12: D = 3 + 3 + 4 + 5 = 15, S = 5 -> V = 5, I = +10: bid surplus everywhere, the highest, 12.
        // The market level (10 lots) shares 5: 15/10 = 1 r 5, 15/10 = 1 r 5, 20/10 = 2 r 0; the leftover lot goes to
        // the lower key of the two remainders of 5 (#2). The limit buy, a worse level, gets nothing.
        BatchOutcome outcome = Auction.Clear(
            [MarketBuy(1, 3, priorityKey: 2), MarketBuy(2, 3, priorityKey: 1), MarketBuy(3, 4, priorityKey: 0), Buy(4, 12, 5), Sell(5, 10, 5)],
            new ClearingOptions(rule));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Price, Is.EqualTo(12));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 1, 2, 2, 0, 5 }));
            Assert.That(outcome.Result.RationedCount, Is.EqualTo(3));
            Assert.That(outcome.FillOf(2).QuoteAmount, Is.EqualTo((UInt128)24));
        }
    }

    [Test]
    public void MarketSellsBeyondTheDemandShareItAndLimitSellsGetNothing()
    {
        // At 9 and 10: D = 6, S = 4 + 4 + 5 = 13 -> V = 6, I = -7: the lowest, 9. The market level (8 lots) shares 6:
        // 4 × 6 / 8 = 3 each.
        BatchOutcome outcome = Auction.Clear([MarketSell(1, 4), MarketSell(2, 4), Sell(3, 9, 5), Buy(4, 10, 6)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Price, Is.EqualTo(9));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 3, 3, 0, 6 }));
            Assert.That(outcome.Result.RationedCount, Is.EqualTo(2));
        }
    }

    [Test]
    public void MarketLevelExactlyCoveredIsNotRationed()
    {
        // At 10 and 12: D = 10, S = 5 -> the highest, 12. The market buy takes all 5; the limit buy nothing.
        BatchOutcome outcome = Auction.Clear([MarketBuy(1, 5), Buy(2, 12, 5), Sell(3, 10, 5)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 5, 0, 5 }));
            Assert.That(outcome.Result.RationedCount, Is.Zero);
            Assert.That(outcome.Result.Surplus, Is.EqualTo((UInt128)5));
        }
    }

    [Test]
    public void LimitBuyAtTheHighestPriceRanksBehindMarketBuys()
    {
        // The only limit is Max: D = 5 + 5 = 10, S = 5 -> price Max, bid surplus. The market buy alone covers the
        // 5 lots; the limit buy, however high its price, is a worse level and gets nothing.
        BatchOutcome outcome = Auction.Clear([MarketBuy(1, 5), Buy(2, Max, 5), Sell(3, Max, 5)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Price, Is.EqualTo(Max));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 5, 0, 5 }));
        }
    }

    [Test]
    public void LimitBuysAtTheHighestPriceShareTheMarginalLevelWithoutTheMarketBuys()
    {
        // Limits 3 and Max. At 3: D = 18 + 23 = 41, S = 38 -> V = 38, I = +3; at Max the same. Bid surplus: price Max.
        // The market buy (18) fills; the level Max (23 lots) shares the other 20, all to its only order.
        BatchOutcome outcome = Auction.Clear([Buy(1, Max, 23), MarketBuy(2, 18), Sell(3, 3, 38)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Price, Is.EqualTo(Max));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 20, 18, 38 }));
            Assert.That(outcome.Result.RationedCount, Is.EqualTo(1));
        }
    }

    [Test]
    public void SellLevelAtTheHighestPriceIsRationedBehindMarketSells()
    {
        // The only limit is Max: D = 7, S = 5 + 5 = 10 -> price Max, ask surplus. The market sell (the best level)
        // fills 5; the limit sell at Max is the marginal level and gets the other 2.
        BatchOutcome outcome = Auction.Clear([MarketSell(1, 5), Sell(2, Max, 5), Buy(3, Max, 7)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Price, Is.EqualTo(Max));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 5, 2, 7 }));
        }
    }

    [Test]
    public void QuoteAmountFitsBigLotAndTickSizes()
    {
        // Tick 10^30 atoms, prices up to 10^6: UInt128.MaxValue / 10^6 / 10^30 = 340 lots at most; 300 are allowed.
        // 300 lots × 10^6 ticks × 10^30 = 3 × 10^38 quote atoms (UInt128.MaxValue ≈ 3.4 × 10^38); 300 × 10^24 base atoms.
        Market market = MarketWith(lotSize: UInt128.Parse("1" + new string('0', 24), CultureInfo.InvariantCulture), tickSize: UInt128.Parse("1" + new string('0', 30), CultureInfo.InvariantCulture), maxPrice: 1_000_000, maxOrderQuantity: 300);

        BatchOutcome outcome = Auction.Clear([Buy(1, 1_000_000, 300), Sell(2, 1_000_000, 300)], market: market);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Fills.Select(f => f.QuoteAmount), Is.All.EqualTo(UInt128.Parse("3" + new string('0', 38), CultureInfo.InvariantCulture)));
            Assert.That(market.BaseAtoms(outcome.Filled(1)), Is.EqualTo(UInt128.Parse("3" + new string('0', 26), CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public void LargestQuantityAtTheLargestPriceFits()
    {
        // (2^63 - 1) lots at (2^63 - 1) ticks of 1 atom: (2^63 - 1)^2 = 2^126 - 2^64 + 1.
        BatchOutcome outcome = Auction.Clear([Buy(1, Max, Max), Sell(2, Max, Max)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Price, Is.EqualTo(Max));
            Assert.That(outcome.Result.Volume, Is.EqualTo((UInt128)Max));
            Assert.That(outcome.Fills.Select(f => f.QuoteAmount), Is.All.EqualTo(UInt128.Parse("85070591730234615847396907784232501249", CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public void RationingBeyondSixtyFourBitsIsExact()
    {
        // Three buys of M = 2^63 - 1 lots share M: the level holds 3M > 2^64 lots. Each exact share is M × M / 3M = M / 3
        // = 3074457345618258602 r (M × (M mod 3)) = r M (M mod 3 = 1), all equal. 3 × 3074457345618258602 = M - 1, so one
        // leftover lot, which goes to the lowest key (#2).
        BatchOutcome outcome = Auction.Clear([Buy(1, 7, Max, priorityKey: 2), Buy(2, 7, Max, priorityKey: 1), Buy(3, 7, Max, priorityKey: 3), Sell(4, 7, Max)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new[] { 3074457345618258602, 3074457345618258603, 3074457345618258602, Max }));
            Assert.That(outcome.Result.Surplus, Is.EqualTo(UInt128.Parse("18446744073709551614", CultureInfo.InvariantCulture))); // 3M - M = 2M
            Assert.That(outcome.FillOf(2).QuoteAmount, Is.EqualTo(UInt128.Parse("21521201419327810221", CultureInfo.InvariantCulture))); // × 7 ticks
        }
    }
}
