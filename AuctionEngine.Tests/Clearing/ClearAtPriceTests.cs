using System.Numerics;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Build;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// <see cref="ClearingEngine.ClearAtPrice"/>: <see cref="ClearingEngine.Clear"/>'s intake and allocation at a price
/// the caller gives.
/// </summary>
[TestFixture]
public sealed class ClearAtPriceTests
{
    private static readonly PriceRule[] Rules = [PriceRule.Midpoint, PriceRule.Xetra, PriceRule.Euronext];

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property AtThePriceARuleChoseItGivesThatRulesFills() => Prop.ForAll(Generators.MessyBooksAndCapacities, messy =>
        Rules.Select(rule => messy.Book with { Options = messy.Book.Options with { Rule = rule } }).Aggregate(Prop.ToProperty(true), (all, book) =>
        {
            // The same engine for both, so that neither call can lean on what the other left behind.
            var engine = new ClearingEngine(messy.Capacity);
            BatchOutcome cleared = book.Clear(engine);
            if (cleared.Result.Price is not long price)
            {
                return all;
            }

            BatchOutcome atPrice = book.ClearAt(price, engine);
            return all.And(Holds(
                atPrice.Result == cleared.Result with { Rule = default } && atPrice.Fills.SequenceEqual(cleared.Fills),
                () => $"{book.Options.Rule} at {price}\nClear {cleared.Result}\nClearAtPrice {atPrice.Result}\n{FirstDifference(atPrice.Fills, cleared.Fills)}"));
        }));

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property AtAnyPriceItAllocatesAsTheOracleOnOneThreadAndOnSeveral() => Prop.ForAll(Generators.BooksCapacitiesAndPrices, c =>
    {
        (Book book, int capacity, long price) = c;
        OracleOutcome expected = Oracle.ClearAt(book.Market, book.Orders, price, capacity);
        BatchOutcome single = book.ClearAt(price, new ClearingEngine(capacity));
        using var parallel = new ClearingEngine(capacity, 3, minOrdersPerLane: 2);
        BatchOutcome split = book.ClearAt(price, parallel);

        // The accepted orders' fills are what the oracle's allocation at the price gives them (nothing, when
        // nothing is executable there).
        int[] accepted = [.. Enumerable.Range(0, book.Orders.Length).Where(i => expected.Fills[i].Rejection == RejectReason.None)];
        Fill[] allocated = Oracle.Allocate(book.Market, [.. accepted.Select(i => book.Orders[i])], price).Fills;
        return Holds(
            single.Result == expected.Result && single.Fills.SequenceEqual(expected.Fills) &&
            split.Result == expected.Result && split.Fills.SequenceEqual(expected.Fills) &&
            accepted.Select(i => single.Fills[i]).SequenceEqual(allocated),
            () => $"capacity {capacity}, price {price}\nengine {single.Result}\nsplit {split.Result}\noracle {expected.Result}\n{FirstDifference(single.Fills, expected.Fills)}");
    });

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property AtAnyPriceEveryFillIsAtThatPriceWithinItsLimitAndBothSidesMatch() => Prop.ForAll(Generators.BooksCapacitiesAndPrices, c =>
    {
        (Book book, int capacity, long price) = c;
        BatchOutcome outcome = book.ClearAt(price, new ClearingEngine(capacity));
        BigInteger priceTick = price * (BigInteger)book.Market.TickSize;
        bool withinLimitsAndQuantities = book.Orders.Select((order, i) => (order, fill: outcome.Fills[i])).All(x =>
            x.fill.FilledQuantity == 0 ||
            (x.fill.FilledQuantity > 0 && x.fill.FilledQuantity <= x.order.Quantity && !x.fill.IsRejected && Oracle.CanTradeAt(x.order, price)));
        bool onePrice = outcome.Fills.All(f => (BigInteger)f.QuoteAmount == f.FilledQuantity * priceTick);
        BigInteger volume = outcome.Result.Cleared ? (BigInteger)outcome.Result.Volume : BigInteger.Zero;
        bool conserved = outcome.Lots(Side.Buy) == volume && outcome.Lots(Side.Sell) == volume && outcome.QuoteAtoms(Side.Buy) == outcome.QuoteAtoms(Side.Sell);
        bool statusMatchesPrice = outcome.Result.Cleared ? outcome.Result.Price == price && volume > 0 : outcome.Result.Price is null;
        return Holds(
            withinLimitsAndQuantities && onePrice && conserved && statusMatchesPrice,
            () => $"price {price}: {outcome.Result}; bought {outcome.Lots(Side.Buy)} for {outcome.QuoteAtoms(Side.Buy)}, sold {outcome.Lots(Side.Sell)} for {outcome.QuoteAtoms(Side.Sell)}");
    });

    [Test]
    public void MarketOrdersAloneClearAtTheGivenPriceWhereARuleWouldAskForAReferencePrice()
    {
        Order[] batch = [MarketBuy(1, 5), MarketSell(2, 3)];

        BatchOutcome atPrice = Auction.ClearAt(batch, 100);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Auction.Clear(batch).Result.Status, Is.EqualTo(ClearingStatus.ReferencePriceRequired));
            Assert.That(atPrice.Result.Status, Is.EqualTo(ClearingStatus.Cleared));
            Assert.That(atPrice.Result.Price, Is.EqualTo(100));
            Assert.That(atPrice.Fills, Is.EqualTo(new[] { new Fill(3, 300, RejectReason.None), new Fill(3, 300, RejectReason.None) }));
            Assert.That(atPrice.Result.SurplusSide, Is.EqualTo(SurplusSide.Bid));
        }
    }

    [TestCase(11L, TestName = "Between a bid at 10 and an ask at 12 nothing is executable")]
    [TestCase(9L, TestName = "Below both, only the buy would trade: nothing is executable")]
    [TestCase(13L, TestName = "Above both, only the sell would trade: nothing is executable")]
    public void APriceWhereOneSideIsEmptyTradesNothing(long price)
    {
        BatchOutcome outcome = Auction.ClearAt([Buy(1, 10, 5), Sell(2, 12, 5)], price);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result, Is.EqualTo(new ClearingResult
            {
                Status = ClearingStatus.NothingExecutable,
                BestBid = 10,
                BestAsk = 12,
                AcceptedCount = 2,
            }));
            Assert.That(outcome.Fills, Is.All.EqualTo(new Fill(0, UInt128.Zero, RejectReason.None)));
        }
    }

    [Test]
    public void BoundedMarketOrdersClearInTwoSteps()
    {
        // A market buy bounded at 11 (#1) beside a limit buy at 12 (#2) and a sell of 6 at 10 (#3). Discovery with the
        // bound as #1's limit: V is 6 at 10 and 11 with a bid surplus of 4, so the highest, 11. There a limit order
        // would put #2 first; as a market order #1 has priority and fills completely.
        Order[] discovery = [Buy(1, 11, 5), Buy(2, 12, 5), Sell(3, 10, 6)];
        Order[] allocation = [MarketBuy(1, 5), Buy(2, 12, 5), Sell(3, 10, 6)];

        BatchOutcome discovered = Auction.Clear(discovery);
        BatchOutcome allocated = Auction.ClearAt(allocation, discovered.Result.Price!.Value);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(discovered.Result.Price, Is.EqualTo(11));
            Assert.That(discovered.FilledQuantities, Is.EqualTo(new long[] { 1, 5, 6 }));
            Assert.That(allocated.Result.Price, Is.EqualTo(11));
            Assert.That(allocated.FilledQuantities, Is.EqualTo(new long[] { 5, 1, 6 }));
            Assert.That(allocated.Fills.Select(f => f.QuoteAmount), Is.EqualTo(new UInt128[] { 55, 11, 66 }));
        }
    }

    [Test]
    public void APriceAwayFromTheRulesChoiceSharesTheLongSidesMarginalLevel()
    {
        // At 10: D = 15 (#1 at 12, #2 and #3 at 10), S = 8, so the buys at 10 share the 3 lots #1 leaves, pro rata
        // 4 : 6 = 1.2 : 1.8, floors 1 and 1, the leftover lot to the larger remainder (#3).
        BatchOutcome outcome = Auction.ClearAt([Buy(1, 12, 5), Buy(2, 10, 4), Buy(3, 10, 6), Sell(4, 9, 8)], 10);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 5, 1, 2, 8 }));
            Assert.That(outcome.Result.Volume, Is.EqualTo((UInt128)8));
            Assert.That(outcome.Result.Surplus, Is.EqualTo((UInt128)7));
            Assert.That(outcome.Result.RationedCount, Is.EqualTo(2));
        }
    }

    /// <summary>Passes, or fails with a description that is only built when it is needed.</summary>
    private static Property Holds(bool condition, Func<string> description) =>
        condition ? Prop.ToProperty(true) : Prop.Label(false, description());

    private static string FirstDifference(Fill[] actual, Fill[] expected)
    {
        int i = Enumerable.Range(0, Math.Min(actual.Length, expected.Length)).FirstOrDefault(k => actual[k] != expected[k], -1);
        return i < 0 ? "fills agree" : $"fill {i}: {actual[i]}, expected {expected[i]}";
    }
}
