using System.Diagnostics;
using System.Runtime.CompilerServices;
using AuctionEngine.Clearing.Internal;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Clearing;

public sealed partial class ClearingEngine
{
    /// <summary>
    /// Fills every order at <paramref name="price"/>: the short side completely, the long side by price priority
    /// down to the marginal level, which is shared pro rata.
    /// </summary>
    /// <remarks>
    /// Each order is reduced to a rank key that grows with priority on its own side: the limit price minus one for a
    /// buy, the negated limit price for a sell, and <see cref="long.MaxValue"/> for a market order (the best level),
    /// which no limit price up to <see cref="long.MaxValue"/> can reach. Then a
    /// side fills an order completely when its key is above that side's threshold, shares the marginal level when the
    /// key equals the rationed key, and trades nothing otherwise: one comparison per order, without branches that
    /// depend on the order's price.
    /// </remarks>
    private ClearingResult Allocate(Market market, ReadOnlySpan<Order> orders, Span<Fill> fills, in PriceLadder ladder, long price, ClearingResult result)
    {
        UInt128 demand = ladder.DemandAt(price);
        UInt128 supply = ladder.SupplyAt(price);
        UInt128 volume = UInt128.Min(demand, supply);
        Debug.Assert(volume > UInt128.Zero);
        SurplusSide surplusSide = demand > supply ? SurplusSide.Bid : demand < supply ? SurplusSide.Ask : SurplusSide.None;

        // Short side (and both sides when balanced): everything eligible fills, i.e. buys with key ≥ price − 1 and
        // sells with key ≥ −price. No key equals long.MinValue, so it marks "nothing rationed".
        long buyFullAbove = price - 2;
        long sellFullAbove = -price - 1;
        long buyRationedKey = long.MinValue;
        long sellRationedKey = long.MinValue;
        UInt128 available = UInt128.Zero;
        UInt128 levelTotal = UInt128.Zero;
        if (surplusSide == SurplusSide.Bid)
        {
            // On a window of a spread book the marginal level may lie above it: then in the segment where D last
            // covers the volume, which a window of that segment alone holds.
            if (!TryFindMarginalBuyKey(ladder, volume, out long marginalKey, out available, out levelTotal))
            {
                bool found = TryFindMarginalBuyKey(BuildWindow(LastSegmentWithDemand(volume)), volume, out marginalKey, out available, out levelTotal);
                Debug.Assert(found);
            }

            SetLongSide(marginalKey, available < levelTotal, ref buyFullAbove, ref buyRationedKey);
        }
        else if (surplusSide == SurplusSide.Ask)
        {
            if (!TryFindMarginalSellKey(ladder, volume, out long marginalKey, out available, out levelTotal))
            {
                bool found = TryFindMarginalSellKey(BuildWindow(FirstSegmentWithSupply(volume)), volume, out marginalKey, out available, out levelTotal);
                Debug.Assert(found);
            }

            SetLongSide(marginalKey, available < levelTotal, ref sellFullAbove, ref sellRationedKey);
        }

        UInt128 priceTick = checked((ulong)price * market.TickSize);
        _fillPlan = new FillPlan(buyFullAbove, sellFullAbove, buyRationedKey, sellRationedKey, priceTick);
        int laneCount = _activeLanes; // as intake split the batch
        RunLanes(laneCount, LaneWork.WriteFills, market, orders, fills);
        int filled = 0;
        for (int k = 0; k < laneCount; k++)
        {
            filled += _lanes[k].Filled;
        }

        int rationed = MoveLaneRecordsToFront(_rationed, laneCount);

        ReadOnlySpan<long> quantities = _signedQuantity.AsSpan(0, orders.Length);
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

    /// <summary>The rank key of a market order: ahead of every limit price on either side.</summary>
    private const long MarketKey = long.MaxValue;

    /// <summary>What every order's fill depends on, set by <see cref="Allocate"/> for the lanes that write fills.</summary>
    private FillPlan _fillPlan;

    /// <summary>The thresholds of each side (see <see cref="Allocate"/>) and <c>price × TickSize</c>.</summary>
    private readonly record struct FillPlan(long BuyFullAbove, long SellFullAbove, long BuyRationedKey, long SellRationedKey, UInt128 PriceTick);

    /// <summary>
    /// Writes the fill of every order in the lane's slice that trades in full or not at all, and the rationing entry of
    /// every order on the rationed level, from the slice's start in the rationing buffer.
    /// </summary>
    private void WriteFillsSlice(Lane lane, ReadOnlySpan<Order> orders, Span<Fill> fills)
    {
        FillPlan plan = _fillPlan;
        long buyFullAbove = plan.BuyFullAbove;
        long buyRationedKey = plan.BuyRationedKey;
        UInt128 priceTick = plan.PriceTick;
        ReadOnlySpan<long> limits = _limitPrice.AsSpan(0, lane.End);
        ReadOnlySpan<long> quantities = _signedQuantity.AsSpan(0, lane.End);
        Span<RationEntry> rationedEntries = _rationed.AsSpan(lane.Start, lane.End - lane.Start);
        int filled = 0;
        int rationed = 0;

        // Each side has its own thresholds; the quantity's sign mask picks the sell pair with an XOR rather than a
        // branch, because an order's side is a coin toss that a branch predictor would lose half the time.
        long fullAboveFlip = buyFullAbove ^ plan.SellFullAbove;
        long rationedFlip = buyRationedKey ^ plan.SellRationedKey;
        for (int i = lane.Start; i < lane.End; i++)
        {
            long q = quantities[i];
            long limit = limits[i];
            long sellMask = q >> 63;
            long lots = (q ^ sellMask) - sellMask;

            // Buy: limit − 1; sell: −limit = ~(limit − 1); market order (limit 0): MarketKey.
            long key = (limit - 1) ^ sellMask;
            key = limit == 0 ? MarketKey : key;
            long fullAbove = buyFullAbove ^ (fullAboveFlip & sellMask);
            long rationedKey = buyRationedKey ^ (rationedFlip & sellMask);
            if (key == rationedKey || q == 0)
            {
                if (q == 0)
                {
                    fills[i] = new Fill(0, UInt128.Zero, _rejection[i]);
                }
                else
                {
                    rationedEntries[rationed++] = new RationEntry { Index = i, Id = orders[i].Id, PriorityKey = orders[i].PriorityKey };
                }

                continue;
            }

            long traded = lots & -(long)(key > fullAbove ? 1 : 0);
            fills[i] = new Fill(traded, QuoteAmount(traded, priceTick), RejectReason.None);
            filled += traded != 0 ? 1 : 0;
        }

        lane.Filled = filled;
        lane.Count = rationed;
    }

    /// <summary>
    /// The long side fills keys above its marginal level completely; the marginal level itself is either shared
    /// (when it cannot all trade) or filled too.
    /// </summary>
    private static void SetLongSide(long marginalKey, bool rationing, ref long fullAbove, ref long rationedKey)
    {
        if (rationing)
        {
            fullAbove = marginalKey;
            rationedKey = marginalKey;
        }
        else
        {
            fullAbove = marginalKey - 1;
        }
    }

    /// <summary>
    /// Walks the buys from the best level (market orders) down until <paramref name="volume"/> is covered.
    /// </summary>
    /// <param name="ladder">The whole book, or a window onto it.</param>
    /// <param name="volume">The volume traded.</param>
    /// <param name="key">The marginal level's rank key: <see cref="MarketKey"/> when market orders alone cover the volume.</param>
    /// <param name="available">Lots the marginal level trades.</param>
    /// <param name="total">Lots the marginal level's orders ask for.</param>
    /// <returns><see langword="false"/> if the ladder is a window and the marginal level lies above it; never for the whole book.</returns>
    private static bool TryFindMarginalBuyKey(in PriceLadder ladder, UInt128 volume, out long key, out UInt128 available, out UInt128 total)
    {
        if (ladder.MarketBuy >= volume)
        {
            key = MarketKey;
            available = volume;
            total = ladder.MarketBuy;
            return true;
        }

        key = 0;
        available = total = UInt128.Zero;
        if (ladder.Count == 0 || ladder.Demand[0] < volume)
        {
            return false;
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

        UInt128 better = low + 1 < ladder.Count ? ladder.Demand[low + 1] : ladder.DemandAbove;
        if (better >= volume)
        {
            return false;
        }

        key = ladder.Prices[low] - 1;
        available = volume - better;
        total = ladder.BuysAt(low);
        return true;
    }

    /// <summary>
    /// Walks the sells from the best level (market orders) up until <paramref name="volume"/> is covered.
    /// </summary>
    /// <param name="ladder">The whole book, or a window onto it.</param>
    /// <param name="volume">The volume traded.</param>
    /// <param name="key">The marginal level's rank key: <see cref="MarketKey"/> when market orders alone cover the volume.</param>
    /// <param name="available">Lots the marginal level trades.</param>
    /// <param name="total">Lots the marginal level's orders ask for.</param>
    /// <returns><see langword="false"/> if the ladder is a window and the marginal level lies below it; never for the whole book.</returns>
    private static bool TryFindMarginalSellKey(in PriceLadder ladder, UInt128 volume, out long key, out UInt128 available, out UInt128 total)
    {
        if (ladder.MarketSell >= volume)
        {
            key = MarketKey;
            available = volume;
            total = ladder.MarketSell;
            return true;
        }

        key = 0;
        available = total = UInt128.Zero;
        if (ladder.Count == 0 || ladder.Supply[^1] < volume)
        {
            return false;
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

        UInt128 better = low > 0 ? ladder.Supply[low - 1] : ladder.SupplyBelow;
        if (better >= volume)
        {
            return false;
        }

        key = -ladder.Prices[low];
        available = volume - better;
        total = ladder.SellsAt(low);
        return true;
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
