using System.Diagnostics;
using System.Runtime.CompilerServices;
using AuctionEngine.Internal;
using AuctionEngine.Markets;
using AuctionEngine.Orders;

namespace AuctionEngine.Clearing;

public sealed partial class ClearingEngine
{
    /// <summary>The marginal level stands for market orders rather than a limit price.</summary>
    private const long MarketLevel = 0;

    /// <summary>
    /// Fills every order at <paramref name="price"/>: the short side completely, the long side by price priority
    /// down to the marginal level, which is shared pro rata.
    /// </summary>
    private ClearingResult Allocate(Market market, ReadOnlySpan<Order> orders, Span<Fill> fills, in PriceLadder ladder, long price, ClearingResult result)
    {
        UInt128 demand = ladder.DemandAt(price);
        UInt128 supply = ladder.SupplyAt(price);
        UInt128 volume = UInt128.Min(demand, supply);
        Debug.Assert(volume > UInt128.Zero);

        // Which side is long, where its volume runs out, and how much of that level can trade.
        SurplusSide surplusSide = demand > supply ? SurplusSide.Bid : demand < supply ? SurplusSide.Ask : SurplusSide.None;
        long marginalLevel = MarketLevel;
        UInt128 available = UInt128.Zero;
        UInt128 levelTotal = UInt128.Zero;
        if (surplusSide == SurplusSide.Bid)
        {
            FindMarginalBuyLevel(ladder, volume, out marginalLevel, out available, out levelTotal);
        }
        else if (surplusSide == SurplusSide.Ask)
        {
            FindMarginalSellLevel(ladder, volume, out marginalLevel, out available, out levelTotal);
        }

        bool rationing = available < levelTotal;
        long sign = surplusSide == SurplusSide.Bid ? 1 : -1; // Sign of the long side's signed quantities.
        UInt128 priceTick = checked((ulong)price * market.TickSize);
        int filled = 0;
        int rationed = 0;

        ReadOnlySpan<long> limits = _limitPrice.AsSpan(0, orders.Length);
        ReadOnlySpan<long> quantities = _signedQuantity.AsSpan(0, orders.Length);
        for (int i = 0; i < quantities.Length; i++)
        {
            long q = quantities[i];
            if (q == 0)
            {
                fills[i] = new Fill(0, UInt128.Zero, _rejection[i]);
                continue;
            }

            long limit = limits[i];
            bool buy = q > 0;
            long lots = buy ? q : -q;
            bool eligible = limit == 0 || (buy ? limit >= price : limit <= price);
            if (eligible && surplusSide != SurplusSide.None && (q ^ sign) >= 0)
            {
                // The long side: compare the order's level with the marginal one (market orders rank first).
                int rank = CompareLevel(limit, marginalLevel, buy);
                if (rank > 0 || (rank == 0 && !rationing))
                {
                    // Better than the marginal level, or on it with enough volume for everyone there.
                }
                else if (rank == 0)
                {
                    _rationed[rationed++] = new RationEntry { Index = i, Id = orders[i].Id, PriorityKey = orders[i].PriorityKey };
                    continue;
                }
                else
                {
                    eligible = false;
                }
            }

            if (!eligible)
            {
                fills[i] = default;
                continue;
            }

            fills[i] = new Fill(lots, QuoteAmount(lots, priceTick), RejectReason.None);
            filled++;
        }

        if (rationed > 0)
        {
            filled += Ration(_rationed.AsSpan(0, rationed), quantities, available, levelTotal, priceTick, fills);
        }

        return result with
        {
            Price = price,
            Volume = volume,
            Surplus = demand >= supply ? demand - supply : supply - demand,
            SurplusSide = surplusSide,
            FilledCount = filled,
            RationedCount = rationed,
        };
    }

    /// <summary>Positive when <paramref name="limit"/> ranks ahead of <paramref name="marginal"/> on its side, 0 on it, negative behind it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CompareLevel(long limit, long marginal, bool buy)
    {
        if (limit == marginal)
        {
            return 0;
        }

        if (limit == MarketLevel)
        {
            return 1;
        }

        if (marginal == MarketLevel)
        {
            return -1;
        }

        return buy == (limit > marginal) ? 1 : -1;
    }

    /// <summary>
    /// Walks the buys from the best level (market orders) down until <paramref name="volume"/> is covered.
    /// </summary>
    private static void FindMarginalBuyLevel(in PriceLadder ladder, UInt128 volume, out long level, out UInt128 available, out UInt128 total)
    {
        if (ladder.MarketBuy >= volume)
        {
            level = MarketLevel;
            available = volume;
            total = ladder.MarketBuy;
            return;
        }

        // D is non-increasing in price: the marginal level is the highest j with D[j] ≥ volume.
        int low = 0;
        int high = ladder.Count - 1;
        while (low < high)
        {
            int mid = (low + high + 1) >> 1;
            if (ladder.Demand[mid] >= volume)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        Debug.Assert(ladder.Demand[low] >= volume);
        UInt128 better = low + 1 < ladder.Count ? ladder.Demand[low + 1] : ladder.MarketBuy;
        level = ladder.Prices[low];
        available = volume - better;
        total = ladder.BuysAt(low);
    }

    /// <summary>
    /// Walks the sells from the best level (market orders) up until <paramref name="volume"/> is covered.
    /// </summary>
    private static void FindMarginalSellLevel(in PriceLadder ladder, UInt128 volume, out long level, out UInt128 available, out UInt128 total)
    {
        if (ladder.MarketSell >= volume)
        {
            level = MarketLevel;
            available = volume;
            total = ladder.MarketSell;
            return;
        }

        // S is non-decreasing in price: the marginal level is the lowest j with S[j] ≥ volume.
        int low = 0;
        int high = ladder.Count - 1;
        while (low < high)
        {
            int mid = (low + high) >> 1;
            if (ladder.Supply[mid] >= volume)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        Debug.Assert(ladder.Supply[low] >= volume);
        UInt128 better = low > 0 ? ladder.Supply[low - 1] : ladder.MarketSell;
        level = ladder.Prices[low];
        available = volume - better;
        total = ladder.SellsAt(low);
    }

    /// <summary>
    /// Shares <paramref name="available"/> lots among the orders of one level, pro rata by quantity: the floor of each
    /// exact share, then one more lot each to the largest remainders.
    /// </summary>
    /// <returns>How many of the orders received at least one lot.</returns>
    private static int Ration(Span<RationEntry> entries, ReadOnlySpan<long> quantities, UInt128 available, UInt128 total, UInt128 priceTick, Span<Fill> fills)
    {
        UInt128 allotted = UInt128.Zero;
        foreach (ref RationEntry entry in entries)
        {
            long q = quantities[entry.Index];
            entry.Share = ProRata.Share(q > 0 ? q : -q, available, total, out entry.Remainder);
            allotted += (ulong)entry.Share;
        }

        // Each floor loses less than one lot, so fewer lots are left over than there are orders.
        int leftover = (int)(available - allotted);
        Debug.Assert(leftover < entries.Length);
        if (leftover > 0)
        {
            entries.Sort();
            for (int k = 0; k < leftover; k++)
            {
                entries[k].Share++;
            }
        }

        int filled = 0;
        foreach (ref readonly RationEntry entry in entries)
        {
            fills[entry.Index] = new Fill(entry.Share, QuoteAmount(entry.Share, priceTick), RejectReason.None);
            filled += entry.Share > 0 ? 1 : 0;
        }

        return filled;
    }

    /// <summary>
    /// <c>lots × price × TickSize</c>. The market's bounds guarantee it fits in <see cref="UInt128"/>; it is checked
    /// anyway, so that a broken invariant surfaces as an <see cref="OverflowException"/>, never a wrapped amount.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt128 QuoteAmount(long lots, UInt128 priceTick) =>
        priceTick <= ulong.MaxValue
            ? WideMath.Multiply((ulong)lots, (ulong)priceTick)
            : checked((ulong)lots * priceTick);
}
