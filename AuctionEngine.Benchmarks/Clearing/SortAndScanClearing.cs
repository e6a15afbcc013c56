using System.Numerics;
using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;

namespace AuctionEngine.Benchmarks.Clearing;

/// <summary>
/// The straightforward way to clear a batch under <see cref="PriceRule.Midpoint"/>: dictionaries for duplicate ids,
/// a comparison sort of the limit prices, D and S by prefix sums, a scan over candidate prices, and pro-rata
/// rationing in <see cref="BigInteger"/>. It allocates freely. It is the benchmark baseline, and its results are
/// checked against <see cref="ClearingEngine"/> before anything is timed.
/// </summary>
public static class SortAndScanClearing
{
    /// <summary>Clears <paramref name="orders"/>; returns the price (null if nothing trades) and one fill per order.</summary>
    public static (long? Price, Fill[] Fills) Clear(Market market, Order[] orders)
    {
        var fills = new Fill[orders.Length];
        var idCounts = new Dictionary<ulong, int>();
        foreach (Order order in orders)
        {
            idCounts[order.Id] = idCounts.GetValueOrDefault(order.Id) + 1;
        }

        var accepted = new List<int>();
        for (int i = 0; i < orders.Length; i++)
        {
            RejectReason reason = Validate(market, orders[i]);
            if (reason == RejectReason.None && idCounts[orders[i].Id] > 1)
            {
                reason = RejectReason.DuplicateId;
            }

            fills[i] = new Fill(0, UInt128.Zero, reason);
            if (reason == RejectReason.None)
            {
                accepted.Add(i);
            }
        }

        long[] prices = accepted.Where(i => !orders[i].IsMarket).Select(i => orders[i].LimitPrice).Distinct().ToArray();
        Array.Sort(prices);
        if (prices.Length == 0)
        {
            return (null, fills); // Market orders alone need a reference price, which this baseline does not take.
        }

        UInt128 Demand(long p) => Sum(accepted.Where(i => orders[i].Side == Side.Buy && (orders[i].IsMarket || orders[i].LimitPrice >= p)));
        UInt128 Supply(long p) => Sum(accepted.Where(i => orders[i].Side == Side.Sell && (orders[i].IsMarket || orders[i].LimitPrice <= p)));
        UInt128 Sum(IEnumerable<int> indices) => indices.Aggregate(UInt128.Zero, (sum, i) => sum + (ulong)orders[i].Quantity);

        // D and S at each limit price by prefix sums over the sorted prices.
        var buyAt = new Dictionary<long, UInt128>();
        var sellAt = new Dictionary<long, UInt128>();
        UInt128 marketBuy = UInt128.Zero;
        UInt128 marketSell = UInt128.Zero;
        foreach (int i in accepted)
        {
            Order o = orders[i];
            if (o.IsMarket)
            {
                if (o.Side == Side.Buy) marketBuy += (ulong)o.Quantity; else marketSell += (ulong)o.Quantity;
            }
            else if (o.Side == Side.Buy)
            {
                buyAt[o.LimitPrice] = buyAt.GetValueOrDefault(o.LimitPrice) + (ulong)o.Quantity;
            }
            else
            {
                sellAt[o.LimitPrice] = sellAt.GetValueOrDefault(o.LimitPrice) + (ulong)o.Quantity;
            }
        }

        var demand = new UInt128[prices.Length];
        var supply = new UInt128[prices.Length];
        UInt128 running = marketBuy;
        for (int j = prices.Length - 1; j >= 0; j--)
        {
            running += buyAt.GetValueOrDefault(prices[j]);
            demand[j] = running;
        }

        running = marketSell;
        for (int j = 0; j < prices.Length; j++)
        {
            running += sellAt.GetValueOrDefault(prices[j]);
            supply[j] = running;
        }

        // Candidates: each limit price, and each gap between two of them (constant D and S inside).
        var candidates = new List<(long Low, long High, UInt128 D, UInt128 S)>();
        for (int j = 0; j < prices.Length; j++)
        {
            candidates.Add((prices[j], prices[j], demand[j], supply[j]));
            if (j + 1 < prices.Length && prices[j + 1] - prices[j] >= 2)
            {
                candidates.Add((prices[j] + 1, prices[j + 1] - 1, demand[j + 1], supply[j]));
            }
        }

        UInt128 maxVolume = candidates.Max(c => UInt128.Min(c.D, c.S));
        if (maxVolume == UInt128.Zero)
        {
            return (null, fills);
        }

        var best = candidates.Where(c => UInt128.Min(c.D, c.S) == maxVolume).ToList();
        UInt128 minSurplus = best.Min(c => AbsoluteDifference(c.D, c.S));
        var remaining = best.Where(c => AbsoluteDifference(c.D, c.S) == minSurplus).ToList();
        long price;
        if (remaining.All(c => c.D > c.S))
        {
            price = remaining.Max(c => c.High);
        }
        else if (remaining.All(c => c.D < c.S))
        {
            price = remaining.Min(c => c.Low);
        }
        else
        {
            bool mixed = remaining.Any(c => c.D > c.S) && remaining.Any(c => c.D < c.S);
            long low = mixed ? remaining.Where(c => c.D > c.S).Max(c => c.High) : remaining.Min(c => c.Low);
            long high = mixed ? remaining.Where(c => c.D < c.S).Min(c => c.Low) : remaining.Max(c => c.High);
            price = low + ((high - low + 1) / 2);
        }

        UInt128 volume = UInt128.Min(Demand(price), Supply(price));
        Allocate(market, orders, fills, accepted.Where(i => orders[i].Side == Side.Buy).ToList(), price, volume, buy: true);
        Allocate(market, orders, fills, accepted.Where(i => orders[i].Side == Side.Sell).ToList(), price, volume, buy: false);
        return (price, fills);
    }

    private static void Allocate(Market market, Order[] orders, Fill[] fills, List<int> side, long price, UInt128 volume, bool buy)
    {
        // Price priority: market orders first, then the most aggressive limits.
        var levels = side
            .Where(i => orders[i].IsMarket || (buy ? orders[i].LimitPrice >= price : orders[i].LimitPrice <= price))
            .GroupBy(i => orders[i].IsMarket ? (buy ? long.MaxValue : long.MinValue) : orders[i].LimitPrice)
            .OrderBy(g => buy ? -(decimal)g.Key : g.Key);

        UInt128 left = volume;
        foreach (IGrouping<long, int> level in levels)
        {
            UInt128 total = level.Aggregate(UInt128.Zero, (sum, i) => sum + (ulong)orders[i].Quantity);
            if (left == UInt128.Zero)
            {
                break;
            }

            if (total <= left)
            {
                foreach (int i in level)
                {
                    fills[i] = new Fill(orders[i].Quantity, market.QuoteAtoms(orders[i].Quantity, price), RejectReason.None);
                }

                left -= total;
                continue;
            }

            var shares = level.Select(i =>
            {
                BigInteger exact = (BigInteger)orders[i].Quantity * (BigInteger)left;
                return (Index: i, Floor: (long)(exact / (BigInteger)total), Remainder: exact % (BigInteger)total);
            }).ToList();
            long leftover = (long)left - shares.Sum(s => s.Floor);
            var extra = shares
                .OrderByDescending(s => s.Remainder)
                .ThenBy(s => orders[s.Index].PriorityKey)
                .ThenBy(s => orders[s.Index].Id)
                .Take((int)leftover)
                .Select(s => s.Index)
                .ToHashSet();
            foreach (var share in shares)
            {
                long lots = share.Floor + (extra.Contains(share.Index) ? 1 : 0);
                fills[share.Index] = new Fill(lots, market.QuoteAtoms(lots, price), RejectReason.None);
            }

            left = UInt128.Zero;
        }
    }

    private static RejectReason Validate(Market market, Order order)
    {
        if (order.Side is not (Side.Buy or Side.Sell)) return RejectReason.InvalidSide;
        if (order.Type is not (OrderType.Limit or OrderType.Market)) return RejectReason.InvalidOrderType;
        if (order.Quantity <= 0) return RejectReason.QuantityNotPositive;
        if (order.Quantity > market.MaxOrderQuantity) return RejectReason.QuantityTooLarge;
        if (!order.IsMarket && order.LimitPrice <= 0) return RejectReason.PriceNotPositive;
        if (!order.IsMarket && order.LimitPrice > market.MaxPrice) return RejectReason.PriceTooHigh;
        return RejectReason.None;
    }

    private static UInt128 AbsoluteDifference(UInt128 a, UInt128 b) => a >= b ? a - b : b - a;
}
