using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Build;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// The engine bins limits near the middle of the book into a 64-bit histogram and sorts the rest: neither the
/// histogram's width nor its word size may change an outcome.
/// </summary>
[TestFixture]
public sealed class PriceHistogramTests
{
    [Test]
    public void LotsBeyondSixtyFourBitsAtOneTickAreSummedExactly()
    {
        // Four buys of 2^63 − 1 lots at one tick overflow a 64-bit bin twice over.
        Market market = MarketWith(UInt128.One, UInt128.One, maxPrice: 10, maxOrderQuantity: long.MaxValue);
        Order[] batch =
        [
            Buy(1, 5, long.MaxValue), Buy(2, 5, long.MaxValue), Buy(3, 5, long.MaxValue), Buy(4, 5, long.MaxValue),
            Sell(5, 5, long.MaxValue), Sell(6, 5, long.MaxValue), Sell(7, 4, long.MaxValue),
        ];

        BatchOutcome outcome = Auction.Clear(batch, market: market);
        OracleOutcome expected = Oracle.Clear(market, batch, default);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result.Volume, Is.EqualTo((UInt128)long.MaxValue * 3));
            Assert.That(outcome.Result.Surplus, Is.EqualTo((UInt128)long.MaxValue));
            Assert.That(outcome.Result, Is.EqualTo(expected.Result));
            Assert.That(outcome.Fills, Is.EqualTo(expected.Fills));
        }
    }

    [TestCase(PriceRule.Midpoint)]
    [TestCase(PriceRule.Xetra)]
    [TestCase(PriceRule.Euronext)]
    public void LimitsOutsideTheWindowJoinTheLadderBelowAndAboveIt(PriceRule rule)
    {
        // An engine of capacity 64 bins a window of 128 ticks. The band sits inside it; the stray orders below and
        // above it must be sorted into the same ladder, on the right side of the band.
        var engine = new ClearingEngine(64);
        Order[] band = RandomBatches.NarrowBand(40, seed: 11, lowestPrice: 1_000, width: 30);
        Order[] strays =
        [
            Sell(101, 3, 7), Sell(102, 900, 4), Buy(103, 2, 5),
            Buy(104, 5_000, 6), Buy(105, long.MaxValue / 2, 3), Sell(106, long.MaxValue / 2, 2),
        ];
        Order[] batch = [.. band.Take(20), .. strays, .. band.Skip(20)];
        var options = new ClearingOptions(rule, 1_010);

        BatchOutcome outcome = Auction.Clear(batch, options, engine: engine);
        OracleOutcome expected = Oracle.Clear(UnitMarket(), batch, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result, Is.EqualTo(expected.Result));
            Assert.That(outcome.Fills, Is.EqualTo(expected.Fills));
            Assert.That(outcome.Filled(101), Is.EqualTo(7), "the stray sell far below the band trades in full");
            Assert.That(outcome.Filled(105), Is.EqualTo(3), "the stray buy far above the band trades in full");
        }
    }

    [Test]
    public void ABandWiderThanTheWindowClearsLikeANarrowOne()
    {
        // The same book twice: once spread over 10,000 ticks (most of it outside a 128-tick window), once with every
        // limit divided by 100. Xetra depends only on the order of the limits, so both trade alike.
        var engine = new ClearingEngine(64);
        Order[] narrow = RandomBatches.NarrowBand(64, seed: 12, lowestPrice: 100, width: 100);
        Order[] wide = [.. narrow.Select(o => o.IsMarket ? o : o.WithLimit(o.LimitPrice * 100))];
        var options = new ClearingOptions(PriceRule.Xetra, 1);

        BatchOutcome narrowOutcome = Auction.Clear(narrow, options, engine: engine);
        BatchOutcome wideOutcome = Auction.Clear(wide, options, engine: engine);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(narrowOutcome.Result.Status, Is.EqualTo(ClearingStatus.Cleared));
            Assert.That(wideOutcome.Result.Price, Is.EqualTo(narrowOutcome.Result.Price * 100));
            Assert.That(wideOutcome.FilledQuantities, Is.EqualTo(narrowOutcome.FilledQuantities));
        }
    }
}
