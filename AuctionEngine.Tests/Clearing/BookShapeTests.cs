using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Build;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// Books that cannot clear in the ordinary way: empty, one-sided, not crossing, or made of market orders alone
/// (which trade at the reference price R if there is one).
/// </summary>
[TestFixture(PriceRule.Xetra)]
[TestFixture(PriceRule.Euronext)]
[TestFixture(PriceRule.Midpoint)]
public sealed class BookShapeTests(PriceRule rule)
{
    [Test]
    public void EmptyBookHasNothingExecutable()
    {
        BatchOutcome outcome = Auction.Clear([], new ClearingOptions(rule, 100));

        Assert.That(outcome.Result, Is.EqualTo(new ClearingResult { Status = ClearingStatus.NothingExecutable, Rule = rule }));
    }

    [Test]
    public void BookThatDoesNotCrossReportsItsBestBidAndAsk()
    {
        // The best bid 9 is below the best ask 10: V = 0 at every price.
        BatchOutcome outcome = Auction.Clear([Buy(1, 9, 5), Sell(2, 10, 5), Buy(3, 8, 1), Sell(4, 11, 1)], new ClearingOptions(rule, 9));

        Assert.That(outcome.Result, Is.EqualTo(new ClearingResult
        {
            Status = ClearingStatus.NothingExecutable,
            Rule = rule,
            BestBid = 9,
            BestAsk = 10,
            AcceptedCount = 4,
        }));
        Assert.That(outcome.Fills, Is.All.EqualTo(default(Fill)));
    }

    [Test]
    public void BookOfBuysAloneHasNothingExecutable()
    {
        BatchOutcome outcome = Auction.Clear([Buy(1, 10, 5), Buy(2, 12, 3), MarketBuy(3, 4)], new ClearingOptions(rule, 11));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Status, Is.EqualTo(ClearingStatus.NothingExecutable));
            Assert.That(outcome.Result.BestBid, Is.EqualTo(12));
            Assert.That(outcome.Result.BestAsk, Is.Null);
            Assert.That(outcome.FilledQuantities, Is.All.Zero);
        }
    }

    [Test]
    public void BookOfSellsAloneHasNothingExecutable()
    {
        BatchOutcome outcome = Auction.Clear([Sell(1, 10, 5), MarketSell(2, 3)], new ClearingOptions(rule, 10));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Status, Is.EqualTo(ClearingStatus.NothingExecutable));
            Assert.That(outcome.Result.BestBid, Is.Null);
            Assert.That(outcome.Result.BestAsk, Is.EqualTo(10));
        }
    }

    [Test]
    public void MarketOrdersAloneTradeAtTheReferencePrice()
    {
        // D = 5, S = 3 at any price: 3 lots at R = 100; the one market buy is rationed to the 3 available.
        BatchOutcome outcome = Auction.Clear([MarketBuy(1, 5), MarketSell(2, 3)], new ClearingOptions(rule, 100));

        Assert.That(outcome.Result, Is.EqualTo(new ClearingResult
        {
            Status = ClearingStatus.Cleared,
            Rule = rule,
            Price = 100,
            Volume = 3,
            Surplus = 2,
            SurplusSide = SurplusSide.Bid,
            AcceptedCount = 2,
            FilledCount = 2,
            RationedCount = 1,
        }));
        Assert.That(outcome.Fills.Select(f => (f.FilledQuantity, f.QuoteAmount)), Is.EqualTo(new (long, UInt128)[] { (3, 300), (3, 300) }));
    }

    [Test]
    public void MarketOrdersAloneWithoutAReferencePriceAreReportedNotGuessed()
    {
        BatchOutcome outcome = Auction.Clear([MarketBuy(1, 5), MarketSell(2, 3)], new ClearingOptions(rule));

        Assert.That(outcome.Result, Is.EqualTo(new ClearingResult { Status = ClearingStatus.ReferencePriceRequired, Rule = rule, AcceptedCount = 2 }));
        Assert.That(outcome.Fills, Is.All.EqualTo(default(Fill)));
    }

    [TestCase(100L)]
    [TestCase(null)]
    public void MarketOrdersAloneOnOneSideHaveNothingExecutable(long? reference)
    {
        BatchOutcome outcome = Auction.Clear([MarketBuy(1, 5), MarketBuy(2, 4)], new ClearingOptions(rule, reference));

        Assert.That(outcome.Result.Status, Is.EqualTo(ClearingStatus.NothingExecutable));
    }

    [Test]
    public void RejectionsAreReportedWhenNothingTrades()
    {
        BatchOutcome outcome = Auction.Clear([MarketBuy(1, 5), MarketSell(2, 3), Raw(3, Side.Buy, OrderType.Limit, 10, 0)], new ClearingOptions(rule));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Status, Is.EqualTo(ClearingStatus.ReferencePriceRequired));
            Assert.That(outcome.Result.RejectedCount, Is.EqualTo(1));
            Assert.That(outcome.Rejections, Is.EqualTo(new[] { RejectReason.None, RejectReason.None, RejectReason.QuantityNotPositive }));
        }
    }
}
