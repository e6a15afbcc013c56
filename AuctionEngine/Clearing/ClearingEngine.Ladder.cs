using System.Diagnostics;
using AuctionEngine.Clearing.Internal;

namespace AuctionEngine.Clearing;

public sealed partial class ClearingEngine
{
    /// <summary>
    /// Turns what intake gathered into the price ladder: the histogram's non-empty ticks, with the outliers (limits
    /// outside its window, an attacker's absurd prices included) radix-sorted into levels below and above them. The
    /// sort's cost is bounded whatever the prices, and a book inside the window skips it altogether.
    /// </summary>
    private PriceLadder BuildLadder(long minLimit, long maxLimit, int outliers)
    {
        Span<KeyedValue> sorted = RadixSort.Sort(_records.AsSpan(0, outliers), _recordsScratch);
        int below = 0;
        while (below < sorted.Length && (long)sorted[below].Key < _histogram.WindowLow)
        {
            below++;
        }

        int levels = AppendLevels(sorted[..below], 0);
        levels += _histogram.Drain(
            minLimit, maxLimit, _levelPrice.AsSpan(levels), _levelDemand.AsSpan(levels), _levelSupply.AsSpan(levels), out UInt128 marketBuy, out UInt128 marketSell);
        levels = AppendLevels(sorted[below..], levels);

        // In place: per-level buys become D (a suffix sum), per-level sells become S (a prefix sum).
        Span<UInt128> demand = _levelDemand.AsSpan(0, levels);
        Span<UInt128> supply = _levelSupply.AsSpan(0, levels);
        ReadOnlySpan<long> prices = _levelPrice.AsSpan(0, levels);
        long? bestBid = null;
        long? bestAsk = null;
        UInt128 running = marketBuy;
        for (int j = levels - 1; j >= 0; j--)
        {
            if (bestBid is null && demand[j] != UInt128.Zero)
            {
                bestBid = prices[j];
            }

            running += demand[j];
            demand[j] = running;
        }

        running = marketSell;
        for (int j = 0; j < levels; j++)
        {
            if (bestAsk is null && supply[j] != UInt128.Zero)
            {
                bestAsk = prices[j];
            }

            running += supply[j];
            supply[j] = running;
        }

        return new PriceLadder(prices, demand, supply, marketBuy, marketSell, bestBid, bestAsk);
    }

    /// <summary>Adds sorted (price, signed quantity) records to the level arrays, one level per distinct price.</summary>
    /// <returns>The number of levels now written.</returns>
    private int AppendLevels(ReadOnlySpan<KeyedValue> sorted, int levels)
    {
        for (int k = 0; k < sorted.Length;)
        {
            ulong price = sorted[k].Key;
            UInt128 buy = UInt128.Zero;
            UInt128 sell = UInt128.Zero;
            for (; k < sorted.Length && sorted[k].Key == price; k++)
            {
                long q = sorted[k].Value;
                if (q > 0)
                {
                    buy += (ulong)q;
                }
                else
                {
                    sell += (ulong)-q;
                }
            }

            _levelPrice[levels] = (long)price;
            _levelDemand[levels] = buy;
            _levelSupply[levels] = sell;
            levels++;
        }

        return levels;
    }
}
