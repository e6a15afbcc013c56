using System.Diagnostics;
using System.Runtime.CompilerServices;
using AuctionEngine.Internal;
using AuctionEngine.Markets;
using AuctionEngine.Orders;

namespace AuctionEngine.Clearing;

public sealed partial class ClearingEngine
{
    /// <summary>How many orders ahead the duplicate-id table's slot is prefetched: enough to cover a memory latency.</summary>
    private const int PrefetchDistance = 16;

    /// <summary>
    /// Validates every order, rejects every copy of a repeated id, and copies what clearing needs (limit price and
    /// signed quantity: positive to buy, negative to sell) into index-aligned arrays. A rejected order gets a signed
    /// quantity of 0, which is how every later pass recognises it.
    /// </summary>
    /// <returns>The number of rejected orders.</returns>
    private int Intake(Market market, ReadOnlySpan<Order> orders, out long minLimit, out long maxLimit)
    {
        Span<long> limitPrice = _limitPrice.AsSpan(0, orders.Length);
        Span<long> signedQuantity = _signedQuantity.AsSpan(0, orders.Length);
        SeenIdSet ids = _ids;
        ids.Reset(orders.Length);

        // 1 ≤ x ≤ max, as one unsigned comparison: (ulong)(x - 1) < (ulong)max.
        ulong maxPrice = (ulong)market.MaxPrice;
        ulong maxQuantity = (ulong)market.MaxOrderQuantity;
        long min = long.MaxValue;
        long max = 0;
        int rejected = 0;
        bool exactCheckNeeded = false;

        for (int i = 0; i < orders.Length; i++)
        {
            if (i + PrefetchDistance < orders.Length)
            {
                ids.Prefetch(orders[i + PrefetchDistance].Id);
            }

            ref readonly Order order = ref orders[i];
            long quantity = order.Quantity;
            long price = order.LimitPrice;
            bool isMarket = order.Type == OrderType.Market;
            bool valid = (uint)(order.Side - 1) <= 1
                && (byte)order.Type <= 1
                && (ulong)(quantity - 1) < maxQuantity
                && (isMarket || (ulong)(price - 1) < maxPrice);
            if (!valid)
            {
                _rejection[i] = Validate(order, market);
                signedQuantity[i] = 0;
                limitPrice[i] = 0;
                rejected++;
                continue;
            }

            // Market orders carry price 0, which leaves the maximum alone and is kept out of the minimum.
            limitPrice[i] = price;
            signedQuantity[i] = order.Side == Side.Buy ? quantity : -quantity;
            min = Math.Min(min, isMarket ? long.MaxValue : price);
            max = Math.Max(max, price);
            exactCheckNeeded |= !ids.TryAdd(order.Id);
        }

        if (exactCheckNeeded)
        {
            rejected += RejectDuplicates(orders);
        }

        minLimit = min;
        maxLimit = max;
        return rejected;
    }

    /// <summary>The precise reason for an order the fast check refused; the first failing rule wins.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RejectReason Validate(in Order order, Market market)
    {
        if (order.Side is not (Side.Buy or Side.Sell))
        {
            return RejectReason.InvalidSide;
        }

        if (order.Type is not (OrderType.Limit or OrderType.Market))
        {
            return RejectReason.InvalidOrderType;
        }

        if (order.Quantity <= 0)
        {
            return RejectReason.QuantityNotPositive;
        }

        if (order.Quantity > market.MaxOrderQuantity)
        {
            return RejectReason.QuantityTooLarge;
        }

        if (order.LimitPrice <= 0)
        {
            return RejectReason.PriceNotPositive;
        }

        Debug.Assert(order.LimitPrice > market.MaxPrice);
        return RejectReason.PriceTooHigh;
    }

    /// <summary>
    /// The exact duplicate check, whose cost no choice of ids can inflate: sort (id, index) pairs of the accepted
    /// orders and reject every run of equal ids, every copy of it.
    /// </summary>
    /// <returns>How many orders it rejected.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int RejectDuplicates(ReadOnlySpan<Order> orders)
    {
        int count = 0;
        for (int i = 0; i < orders.Length; i++)
        {
            if (_signedQuantity[i] != 0)
            {
                _records[count++] = new KeyedValue(orders[i].Id, i);
            }
        }

        Span<KeyedValue> sorted = RadixSort.Sort(_records.AsSpan(0, count), _recordsScratch);
        int rejected = 0;
        for (int start = 0; start < sorted.Length;)
        {
            int end = start + 1;
            while (end < sorted.Length && sorted[end].Key == sorted[start].Key)
            {
                end++;
            }

            if (end - start > 1)
            {
                for (int k = start; k < end; k++)
                {
                    int index = (int)sorted[k].Value;
                    _rejection[index] = RejectReason.DuplicateId;
                    _signedQuantity[index] = 0;
                    rejected++;
                }
            }

            start = end;
        }

        return rejected;
    }

    /// <summary>
    /// A batch with more orders than the capacity: the <see cref="Capacity"/> orders with the lowest
    /// (priority key, id, then every other field) are cleared and the rest are rejected as over capacity. Ranking by
    /// content, never by position, keeps the outcome independent of arrival order; since priority keys come from
    /// batch randomness, the cut is a fair lottery.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ClearingResult ClearOverCapacity(Market market, ReadOnlySpan<Order> orders, Span<Fill> fills, in ClearingOptions options)
    {
        _keptOrders ??= new Order[_capacity];
        _keptFills ??= new Fill[_capacity];
        _keptIndex ??= new int[_capacity];
        Span<int> kept = _keptIndex;

        // A max-heap of the best `capacity` orders seen so far: its root is the worst of them.
        int size = 0;
        for (int i = 0; i < orders.Length; i++)
        {
            if (size < kept.Length)
            {
                kept[size] = i;
                SiftUp(kept, size++, orders);
            }
            else if (RanksBefore(orders[i], orders[kept[0]]))
            {
                kept[0] = i;
                SiftDown(kept, 0, size, orders);
            }
        }

        kept.Sort(); // Input order, so the cleared copy is laid out like the caller's span.
        Span<Order> keptOrders = _keptOrders;
        for (int k = 0; k < kept.Length; k++)
        {
            keptOrders[k] = orders[kept[k]];
        }

        ClearingResult result = ClearWithinCapacity(market, keptOrders, _keptFills, options);

        var overCapacity = new Fill(0, UInt128.Zero, RejectReason.OverCapacity);
        fills.Fill(overCapacity);
        for (int k = 0; k < kept.Length; k++)
        {
            fills[kept[k]] = _keptFills[k];
        }

        int cut = orders.Length - kept.Length;
        return result with { RejectedCount = result.RejectedCount + cut };
    }

    private static bool RanksBefore(in Order a, in Order b)
    {
        int c = a.PriorityKey.CompareTo(b.PriorityKey);
        if (c == 0) c = a.Id.CompareTo(b.Id);
        if (c == 0) c = ((byte)a.Side).CompareTo((byte)b.Side);
        if (c == 0) c = ((byte)a.Type).CompareTo((byte)b.Type);
        if (c == 0) c = a.LimitPrice.CompareTo(b.LimitPrice);
        if (c == 0) c = a.Quantity.CompareTo(b.Quantity);
        if (c == 0) c = a.Trader.CompareTo(b.Trader);
        return c < 0;
    }

    private static void SiftUp(Span<int> heap, int position, ReadOnlySpan<Order> orders)
    {
        while (position > 0)
        {
            int parent = (position - 1) / 2;
            if (!RanksBefore(orders[heap[parent]], orders[heap[position]]))
            {
                return;
            }

            (heap[parent], heap[position]) = (heap[position], heap[parent]);
            position = parent;
        }
    }

    private static void SiftDown(Span<int> heap, int position, int size, ReadOnlySpan<Order> orders)
    {
        while (true)
        {
            int worst = position;
            int left = (2 * position) + 1;
            int right = left + 1;
            if (left < size && RanksBefore(orders[heap[worst]], orders[heap[left]]))
            {
                worst = left;
            }

            if (right < size && RanksBefore(orders[heap[worst]], orders[heap[right]]))
            {
                worst = right;
            }

            if (worst == position)
            {
                return;
            }

            (heap[worst], heap[position]) = (heap[position], heap[worst]);
            position = worst;
        }
    }
}
