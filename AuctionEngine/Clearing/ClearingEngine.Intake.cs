using System.Diagnostics;
using System.Runtime.CompilerServices;
using AuctionEngine.Clearing.Internal;
using AuctionEngine.Markets;
using AuctionEngine.Orders;

namespace AuctionEngine.Clearing;

public sealed partial class ClearingEngine
{
    /// <summary>How many orders ahead the duplicate-id bitmap word is prefetched: enough to cover a cache miss.</summary>
    private const int PrefetchDistance = 8;

    /// <summary>How many limit prices, spread over the batch, place the histogram's window.</summary>
    private const int WindowSampleSize = 31;

    /// <summary>
    /// The one pass over the caller's orders: validates every order, copies what clearing needs (limit price and
    /// signed quantity: positive to buy, negative to sell) into index-aligned arrays, records each id in the
    /// duplicate filter, and bins the order into the price histogram, or into the outlier list when its limit lies
    /// outside the histogram's window (see <see cref="PlaceWindow"/>). A rejected order gets a signed quantity of 0
    /// and a limit price of 0, which is how every later pass recognises it. Repeated ids are only suspected here;
    /// <see cref="RejectDuplicates"/> settles them.
    /// </summary>
    /// <remarks>
    /// Each lane reads its own slice of the orders into its own filter and histogram; the histograms are then summed
    /// into the first lane's, and the outliers gathered at the front of the record buffer.
    /// </remarks>
    /// <returns>The number of rejected orders.</returns>
    private int Intake(Market market, ReadOnlySpan<Order> orders, out long minLimit, out long maxLimit, out int outliers)
    {
        HistogramWindow window = PlaceWindow(orders, market);
        int laneCount = StartLanes(orders.Length);

        // Every lane's filter sized for the longest slice, so that all share one layout and can be compared word by word.
        int longestSlice = (orders.Length + laneCount - 1) / laneCount;
        for (int k = 0; k < laneCount; k++)
        {
            Lane lane = _lanes[k];
            lane.Filter.Reset(longestSlice);
            lane.Histogram.SetWindow(window.Low, window.Shift, window.Bins);
        }

        RunLanes(laneCount, LaneWork.Intake, market, orders, default);

        Lane first = _lanes[0];
        long min = first.MinLimit;
        long max = first.MaxLimit;
        int rejected = first.Rejected;
        for (int k = 1; k < laneCount; k++)
        {
            Lane lane = _lanes[k];
            min = Math.Min(min, lane.MinLimit);
            max = Math.Max(max, lane.MaxLimit);
            rejected += lane.Rejected;
        }

        for (int k = 1; k < laneCount; k++)
        {
            first.Histogram.Absorb(_lanes[k].Histogram, min, max);
        }

        minLimit = min;
        maxLimit = max;
        outliers = MoveLaneRecordsToFront(_records, laneCount);
        return rejected;
    }

    /// <summary>Intake of one lane's slice: see <see cref="Intake"/>. Writes its outliers from the slice's start.</summary>
    private void IntakeSlice(Lane lane, Market market, ReadOnlySpan<Order> orders)
    {
        int start = lane.Start;
        int end = lane.End;
        Span<long> limitPrice = _limitPrice.AsSpan(0, end);
        Span<long> signedQuantity = _signedQuantity.AsSpan(0, end);
        Span<ulong> idHashes = _idHashes.AsSpan(0, end);
        Span<KeyedValue> outlierRecords = _records.AsSpan(start, end - start);
        DuplicateIdFilter.Adder ids = lane.Filter.StartAdding();
        PriceHistogram.Adder histogram = lane.Histogram.StartAdding();

        // 1 ≤ x ≤ max, as one unsigned comparison: (ulong)(x - 1) < (ulong)max.
        ulong maxPrice = (ulong)market.MaxPrice;
        ulong maxQuantity = (ulong)market.MaxOrderQuantity;
        long min = long.MaxValue;
        long max = 0;
        int rejected = 0;
        int outlierCount = 0;

        // The id hashes are computed PrefetchDistance orders ahead, so their bitmap words are on the way by the time
        // they are needed; the hash array doubles as the queue between the two.
        for (int i = start; i < Math.Min(end, start + PrefetchDistance); i++)
        {
            idHashes[i] = DuplicateIdFilter.Hash(orders[i].Id);
        }

        for (int i = start; i < end; i++)
        {
            if (i + PrefetchDistance < end)
            {
                ulong ahead = DuplicateIdFilter.Hash(orders[i + PrefetchDistance].Id);
                idHashes[i + PrefetchDistance] = ahead;
                ids.Prefetch(ahead);
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
                Debug.Assert(_rejection[i] != RejectReason.None);
                signedQuantity[i] = 0;
                limitPrice[i] = 0;
                rejected++;
                continue;
            }

            // Market orders carry price 0, which leaves the maximum alone and is kept out of the minimum.
            long sellMask = -(long)(order.Side - Side.Buy);
            long signed = (quantity ^ sellMask) - sellMask;
            limitPrice[i] = price;
            signedQuantity[i] = signed;
            min = Math.Min(min, isMarket ? long.MaxValue : price);
            max = Math.Max(max, price);
            ids.Add(idHashes[i]);
            if (!histogram.TryAdd(price, signed))
            {
                outlierRecords[outlierCount++] = new KeyedValue((ulong)price, signed);
            }
        }

        lane.MinLimit = min;
        lane.MaxLimit = max;
        lane.Rejected = rejected;
        lane.Count = outlierCount;
    }

    /// <summary>Where the histogram's bins lie: from tick <see cref="Low"/>, <see cref="Bins"/> bins of 2^<see cref="Shift"/> ticks.</summary>
    private readonly record struct HistogramWindow(long Low, int Shift, int Bins);

    /// <summary>
    /// Places the histogram's window from a few valid limit prices taken at even intervals through the batch. Any
    /// window is correct (orders outside it are sorted instead); a good one leaves few outside it.
    /// </summary>
    /// <remarks>
    /// When the middle half of the sample fits in half the histogram, the book is a band: one bin per tick, centred
    /// on the sample's median, gives its exact levels with no sort at all, and the few orders outside it are
    /// sorted. Otherwise the book is spread, and ticks are too many to count one by one: <see cref="_spreadBins"/>
    /// bins, each a power of two ticks wide, cover that middle stretch and as much again on either side, and only sum
    /// the lots in them. The ladder then reads the exact levels of the few bins the price rule looks at from the
    /// orders again (see <see cref="DecideThroughWindows"/>), instead of sorting the whole book.
    /// </remarks>
    private HistogramWindow PlaceWindow(ReadOnlySpan<Order> orders, Market market)
    {
        Span<long> sample = stackalloc long[WindowSampleSize];
        int taken = 0;
        int step = Math.Max(1, orders.Length / WindowSampleSize);
        for (int i = 0; i < orders.Length && taken < sample.Length; i += step)
        {
            long price = orders[i].LimitPrice;
            if (orders[i].Type == OrderType.Limit && price > 0 && price <= market.MaxPrice)
            {
                sample[taken++] = price;
            }
        }

        if (taken == 0)
        {
            return new HistogramWindow(1, 0, _histogram.Capacity);
        }

        sample = sample[..taken];
        sample.Sort();
        int quarter = taken / 4;
        long low = sample[quarter];
        long high = sample[taken - 1 - quarter];
        ulong spread = (ulong)(high - low);
        if (spread < (ulong)_histogram.Capacity / 2)
        {
            return new HistogramWindow(_histogram.WindowAround(sample[taken / 2]), 0, _histogram.Capacity);
        }

        long from = low - (long)Math.Min(spread, (ulong)(low - 1));
        long to = high + (long)Math.Min(spread, (ulong)(long.MaxValue - high));
        return new HistogramWindow(from, ShiftToCover((ulong)(to - from) + 1, _spreadBins), _spreadBins);
    }

    /// <summary>
    /// Rebuilds the histogram and the outlier list from the accepted orders, after the duplicate check rejected some
    /// that had already been binned.
    /// </summary>
    /// <returns>The number of outliers.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Rebin(int count, long minLimit, long maxLimit)
    {
        _histogram.Clear(minLimit, maxLimit);
        PriceHistogram.Adder histogram = _histogram.StartAdding();
        ReadOnlySpan<long> limits = _limitPrice.AsSpan(0, count);
        ReadOnlySpan<long> quantities = _signedQuantity.AsSpan(0, count);
        int outlierCount = 0;
        for (int i = 0; i < count; i++)
        {
            long q = quantities[i];
            if (q != 0 && !histogram.TryAdd(limits[i], q))
            {
                _records[outlierCount++] = new KeyedValue((ulong)limits[i], q);
            }
        }

        return outlierCount;
    }

    /// <summary>
    /// Why <paramref name="order"/> is unacceptable in <paramref name="market"/>, the first failing rule winning, or
    /// <see cref="RejectReason.None"/>. Intake asks only about the orders its inlined check refused.
    /// </summary>
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

        if (order.Type == OrderType.Market)
        {
            return RejectReason.None;
        }

        if (order.LimitPrice <= 0)
        {
            return RejectReason.PriceNotPositive;
        }

        return order.LimitPrice > market.MaxPrice ? RejectReason.PriceTooHigh : RejectReason.None;
    }

    /// <summary>
    /// The exact duplicate check, on the gathered suspects (the first <paramref name="suspects"/> records, see
    /// <see cref="DuplicateIdFilter.GatherSuspects(ReadOnlySpan{ulong}, Span{KeyedValue})"/>): sort them
    /// by hash and reject every accepted copy of an id that more than one accepted order carries. The hash is a
    /// bijection, so equal hashes are equal ids. Suspects are gathered without regard to whether an order was
    /// rejected, since telling would cost a cache miss each; only the few that share a hash are looked at here.
    /// </summary>
    /// <returns>How many orders it rejected.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int RejectDuplicates(int suspects)
    {
        Span<long> signedQuantity = _signedQuantity;
        Span<KeyedValue> sorted = RadixSort.Sort(_records.AsSpan(0, suspects), _recordsScratch);
        int rejected = 0;
        for (int start = 0; start < sorted.Length;)
        {
            int end = start + 1;
            int accepted = signedQuantity[(int)sorted[start].Value] != 0 ? 1 : 0;
            for (; end < sorted.Length && sorted[end].Key == sorted[start].Key; end++)
            {
                accepted += signedQuantity[(int)sorted[end].Value] != 0 ? 1 : 0;
            }

            if (accepted > 1)
            {
                for (int k = start; k < end; k++)
                {
                    int index = (int)sorted[k].Value;
                    if (signedQuantity[index] != 0)
                    {
                        _rejection[index] = RejectReason.DuplicateId;
                        signedQuantity[index] = 0;
                        rejected++;
                    }
                }
            }

            start = end;
        }

        return rejected;
    }

    /// <summary>
    /// A batch with more orders than the capacity. Validation and the duplicate check come first, over the whole
    /// batch, so that neither an invalid order nor a repeated id can take a valid order's place: every invalid order
    /// gets its reason, and every copy of an id that several valid orders carry gets
    /// <see cref="RejectReason.DuplicateId"/>. Of the valid orders with unique ids, the <see cref="Capacity"/> with the
    /// lowest (priority key, id) clear and the rest are rejected as over capacity. Ranking by content, never by
    /// position, keeps the outcome independent of arrival order; since priority keys come from batch randomness, the
    /// cut is a fair lottery.
    /// </summary>
    /// <remarks>
    /// The slow path. It sorts the whole batch's id hashes in two buffers of 16 bytes per order, allocated for the
    /// largest over-capacity batch seen so far and reused after, and keeps the best candidates in a heap; then the
    /// kept orders, copied in input order into buffers of the capacity's size, clear as any batch does.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ClearingResult ClearOverCapacity(Market market, ReadOnlySpan<Order> orders, Span<Fill> fills, in PriceSource pricing)
    {
        if (_batchIds is null || _batchIds.Length < orders.Length)
        {
            _batchIds = new KeyedValue[orders.Length];
            _batchIdsScratch = new KeyedValue[orders.Length];
        }

        _keptOrders ??= new Order[_capacity];
        _keptFills ??= new Fill[_capacity];
        _keptIndex ??= new int[_capacity];

        // Every valid order is over capacity until it is kept; an invalid one has its reason.
        var overCapacity = new Fill(0, UInt128.Zero, RejectReason.OverCapacity);
        Span<KeyedValue> ids = _batchIds;
        int valid = 0;
        for (int i = 0; i < orders.Length; i++)
        {
            RejectReason reason = Validate(orders[i], market);
            if (reason == RejectReason.None)
            {
                fills[i] = overCapacity;
                ids[valid++] = new KeyedValue(DuplicateIdFilter.Hash(orders[i].Id), i);
            }
            else
            {
                fills[i] = new Fill(0, UInt128.Zero, reason);
            }
        }

        // Sorted by hash, a bijection of the id, the copies of an id are neighbours. A max-heap keeps the best
        // `capacity` unique ones seen so far: its root is the worst of them.
        var duplicate = new Fill(0, UInt128.Zero, RejectReason.DuplicateId);
        Span<KeyedValue> sorted = RadixSort.Sort(ids[..valid], _batchIdsScratch);
        Span<int> kept = _keptIndex;
        int size = 0;
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
                    fills[(int)sorted[k].Value] = duplicate;
                }
            }
            else if (size < kept.Length)
            {
                kept[size] = (int)sorted[start].Value;
                SiftUp(kept, size++, orders);
            }
            else if (RanksBefore(orders[(int)sorted[start].Value], orders[kept[0]]))
            {
                kept[0] = (int)sorted[start].Value;
                SiftDown(kept, 0, size, orders);
            }

            start = end;
        }

        kept = kept[..size];
        kept.Sort(); // Input order, so the cleared copy is laid out like the caller's span.
        Span<Order> keptOrders = _keptOrders.AsSpan(0, size);
        for (int k = 0; k < kept.Length; k++)
        {
            keptOrders[k] = orders[kept[k]];
        }

        Span<Fill> keptFills = _keptFills.AsSpan(0, size);
        ClearingResult result = ClearWithinCapacity(market, keptOrders, keptFills, pricing);
        Debug.Assert(result.RejectedCount == 0);
        for (int k = 0; k < kept.Length; k++)
        {
            fills[kept[k]] = keptFills[k];
        }

        return result with { RejectedCount = orders.Length - size };
    }

    /// <summary>The capacity cut's order: the lower priority key, then the lower id, which is unique by then.</summary>
    private static bool RanksBefore(in Order a, in Order b) =>
        a.PriorityKey < b.PriorityKey || (a.PriorityKey == b.PriorityKey && a.Id < b.Id);

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
