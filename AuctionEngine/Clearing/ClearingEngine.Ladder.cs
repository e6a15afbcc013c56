using System.Diagnostics;
using AuctionEngine.Clearing.Internal;

namespace AuctionEngine.Clearing;

public sealed partial class ClearingEngine
{
    /// <summary>
    /// Turns what intake gathered into the price ladder. For a band (one histogram bin per tick): the histogram's
    /// non-empty ticks, with the outliers (limits outside its window, an attacker's absurd prices included)
    /// radix-sorted into levels below and above them. The sort's cost is bounded whatever the prices, and a book
    /// inside the window skips it altogether. For a spread book (wider bins) the ladder is read window by window
    /// later, and this only prepares the segments (see <see cref="BuildSegments"/>).
    /// </summary>
    /// <returns>The ladder of the whole book; a default one when the book is read window by window.</returns>
    private PriceLadder BuildLadder(int count, long minLimit, long maxLimit, int outliers)
    {
        LastLadder = new LadderTrace(_histogram.Shift, outliers, -1, 0, false);
        if (_histogram.Shift > 0)
        {
            return BuildSegments(count, minLimit, maxLimit, outliers);
        }

        _segmentCount = -1;
        Span<KeyedValue> sorted = RadixSort.Sort(_records.AsSpan(0, outliers), _recordsScratch);
        int below = CountBelow(sorted, _histogram.WindowLow);
        int levels = AppendLevels(sorted[..below], _levelPrice, _levelDemand, _levelSupply, 0);
        levels += _histogram.Drain(
            minLimit, maxLimit, _levelPrice.AsSpan(levels), _levelDemand.AsSpan(levels), _levelSupply.AsSpan(levels), out UInt128 marketBuy, out UInt128 marketSell);
        levels = AppendLevels(sorted[below..], _levelPrice, _levelDemand, _levelSupply, levels);
        return WholeBook(levels, marketBuy, marketSell);
    }

    /// <summary>
    /// The ladder of the whole book from its per-level lots in the first <paramref name="levels"/> level entries:
    /// per-level buys become D (a suffix sum) and per-level sells S (a prefix sum), in place.
    /// </summary>
    private PriceLadder WholeBook(int levels, UInt128 marketBuy, UInt128 marketSell)
    {
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

    /// <summary>How many of the <paramref name="sorted"/> records have a key below <paramref name="price"/>.</summary>
    private static int CountBelow(ReadOnlySpan<KeyedValue> sorted, long price)
    {
        int below = 0;
        while (below < sorted.Length && (long)sorted[below].Key < price)
        {
            below++;
        }

        return below;
    }

    /// <summary>
    /// Adds sorted (price, signed quantity) records to level arrays from <paramref name="levels"/> on, one level per
    /// distinct price, with its buy and sell lots.
    /// </summary>
    /// <returns>The number of levels now written.</returns>
    private static int AppendLevels(ReadOnlySpan<KeyedValue> sorted, Span<long> prices, Span<UInt128> buys, Span<UInt128> sells, int levels)
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

            prices[levels] = (long)price;
            buys[levels] = buy;
            sells[levels] = sell;
            levels++;
        }

        return levels;
    }
}
