using System.Numerics;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Tests.Clearing;

/// <summary>Smoke checks at 100,000 orders: the scale where shortcuts in the engine would start to show.</summary>
[TestFixture]
public sealed class LargeBatchTests
{
    private const int Count = 100_000;

    [Test]
    public void HundredThousandOrdersInANarrowBandClearAsTheOracleSays()
    {
        Order[] batch = RandomBatches.NarrowBand(Count, seed: 100, width: 40);
        var options = new ClearingOptions(PriceRule.Midpoint);

        BatchOutcome outcome = Auction.Clear(batch, options);
        OracleOutcome expected = Oracle.Clear(Build.UnitMarket(), batch, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Result, Is.EqualTo(expected.Result));
            Assert.That(outcome.Fills, Is.EqualTo(expected.Fills));
            Assert.That(outcome.Result.RationedCount, Is.GreaterThan(100), "a large rationed level is the point of the batch");
        }
    }

    [Test]
    public void HundredThousandOrdersAtScatteredPricesClearLikeTheirRanks()
    {
        // 20,000 limit prices spread over the whole range, which the engine must sort. Xetra with R below every limit
        // depends only on the order of the limits, never on their distances, so the same orders with each limit
        // replaced by its rank (1 to 20,000, which the engine bins) must trade exactly alike, at the matching limit.
        long[] scattered = [.. Enumerable.Range(0, 20_000).Select(k => (long.MaxValue / 20_000 * k) + 1 + (k * 7_919L))];
        Order[] spread = RandomBatches.FromPool(Count, seed: 101, scattered);
        Order[] ranked = [.. spread.Select(o => o.IsMarket ? o : o.WithLimit(Array.BinarySearch(scattered, o.LimitPrice) + 1))];
        var options = new ClearingOptions(PriceRule.Xetra, 1);

        BatchOutcome wide = Auction.Clear(spread, options);
        BatchOutcome narrow = Auction.Clear(ranked, options);
        BatchOutcome reversed = Auction.Clear([.. Enumerable.Reverse(spread)], options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(wide.Result.Status, Is.EqualTo(ClearingStatus.Cleared));
            Assert.That(wide.Result.Price, Is.EqualTo(scattered[(int)narrow.Result.Price!.Value - 1]));
            Assert.That(wide.FilledQuantities, Is.EqualTo(narrow.FilledQuantities));
            Assert.That(wide.Result with { Price = null, BestBid = null, BestAsk = null }, Is.EqualTo(narrow.Result with { Price = null, BestBid = null, BestAsk = null }));
            Assert.That(wide.Lots(Side.Buy), Is.EqualTo((BigInteger)wide.Result.Volume));
            Assert.That(wide.Lots(Side.Sell), Is.EqualTo((BigInteger)wide.Result.Volume));
            Assert.That(reversed.Result, Is.EqualTo(wide.Result));
            Assert.That(spread.Select(o => reversed.FillOf(o.Id)), Is.EqualTo(wide.Fills));
        }
    }
}
