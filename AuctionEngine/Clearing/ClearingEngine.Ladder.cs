using System.Diagnostics;
using AuctionEngine.Internal;

namespace AuctionEngine.Clearing;

public sealed partial class ClearingEngine
{
    /// <summary>
    /// Aggregates the accepted orders into the price ladder. A narrow range of limit prices is binned straight into
    /// a histogram indexed by tick; a wide one (an attacker's absurd prices included) goes through a radix sort
    /// whose cost is bounded whatever the prices.
    /// </summary>
    private PriceLadder BuildLadder(int count, long minLimit, long maxLimit)
    {
        UInt128 marketBuy = UInt128.Zero;
        UInt128 marketSell = UInt128.Zero;
        int levels;
        if (minLimit > maxLimit)
        {
            (marketBuy, marketSell) = SumMarketOrders(count);
            levels = 0;
        }
        else if ((ulong)(maxLimit - minLimit) < (ulong)_histogramBuy.Length)
        {
            levels = BinIntoHistogram(count, minLimit, (int)(maxLimit - minLimit) + 1, out marketBuy, out marketSell);
        }
        else
        {
            levels = SortIntoLevels(count, minLimit, out marketBuy, out marketSell);
        }

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

    private (UInt128 Buy, UInt128 Sell) SumMarketOrders(int count)
    {
        UInt128 buy = UInt128.Zero;
        UInt128 sell = UInt128.Zero;
        ReadOnlySpan<long> quantities = _signedQuantity.AsSpan(0, count);
        foreach (long q in quantities)
        {
            if (q > 0)
            {
                buy += (ulong)q;
            }
            else
            {
                sell += (ulong)-q;
            }
        }

        return (buy, sell);
    }

    /// <returns>The number of price levels written to the level arrays (per-level totals, not yet cumulative).</returns>
    private int BinIntoHistogram(int count, long minLimit, int width, out UInt128 marketBuy, out UInt128 marketSell)
    {
        Span<UInt128> buys = _histogramBuy.AsSpan(0, width);
        Span<UInt128> sells = _histogramSell.AsSpan(0, width);
        ReadOnlySpan<long> limits = _limitPrice.AsSpan(0, count);
        ReadOnlySpan<long> quantities = _signedQuantity.AsSpan(0, count);
        UInt128 buyAtMarket = UInt128.Zero;
        UInt128 sellAtMarket = UInt128.Zero;
        for (int i = 0; i < limits.Length; i++)
        {
            long q = quantities[i];
            long limit = limits[i];
            if (limit == 0)
            {
                // A market order, or a rejected one (quantity 0, which adds nothing).
                if (q > 0)
                {
                    buyAtMarket += (ulong)q;
                }
                else
                {
                    sellAtMarket += (ulong)-q;
                }
            }
            else if (q > 0)
            {
                buys[(int)(limit - minLimit)] += (ulong)q;
            }
            else
            {
                sells[(int)(limit - minLimit)] += (ulong)-q;
            }
        }

        // Compact the non-empty ticks into levels, zeroing the histogram for the next batch as it is read.
        int levels = 0;
        for (int t = 0; t < width; t++)
        {
            UInt128 buy = buys[t];
            UInt128 sell = sells[t];
            if ((buy | sell) != UInt128.Zero)
            {
                _levelPrice[levels] = minLimit + t;
                _levelDemand[levels] = buy;
                _levelSupply[levels] = sell;
                levels++;
                buys[t] = UInt128.Zero;
                sells[t] = UInt128.Zero;
            }
        }

        marketBuy = buyAtMarket;
        marketSell = sellAtMarket;
        return levels;
    }

    /// <returns>The number of price levels written to the level arrays (per-level totals, not yet cumulative).</returns>
    private int SortIntoLevels(int count, long minLimit, out UInt128 marketBuy, out UInt128 marketSell)
    {
        ReadOnlySpan<long> limits = _limitPrice.AsSpan(0, count);
        ReadOnlySpan<long> quantities = _signedQuantity.AsSpan(0, count);
        Span<KeyedValue> records = _records;
        UInt128 buyAtMarket = UInt128.Zero;
        UInt128 sellAtMarket = UInt128.Zero;
        int n = 0;
        for (int i = 0; i < limits.Length; i++)
        {
            long q = quantities[i];
            if (q == 0)
            {
                continue;
            }

            long limit = limits[i];
            if (limit != 0)
            {
                // Offsetting by the lowest limit leaves fewer significant digits for the sort to pass over.
                records[n++] = new KeyedValue((ulong)(limit - minLimit), q);
            }
            else if (q > 0)
            {
                buyAtMarket += (ulong)q;
            }
            else
            {
                sellAtMarket += (ulong)-q;
            }
        }

        Span<KeyedValue> sorted = RadixSort.Sort(records[..n], _recordsScratch);
        int levels = -1;
        ulong currentKey = ulong.MaxValue;
        foreach (ref readonly KeyedValue record in sorted)
        {
            if (levels < 0 || record.Key != currentKey)
            {
                currentKey = record.Key;
                levels++;
                _levelPrice[levels] = minLimit + (long)currentKey;
                _levelDemand[levels] = UInt128.Zero;
                _levelSupply[levels] = UInt128.Zero;
            }

            if (record.Value > 0)
            {
                _levelDemand[levels] += (ulong)record.Value;
            }
            else
            {
                _levelSupply[levels] += (ulong)-record.Value;
            }
        }

        Debug.Assert(levels + 1 <= n);
        marketBuy = buyAtMarket;
        marketSell = sellAtMarket;
        return levels + 1;
    }
}
