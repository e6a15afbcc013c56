using System.Diagnostics;
using AuctionEngine.Clearing.Internal;

namespace AuctionEngine.Clearing;

public sealed partial class ClearingEngine
{
    /// <summary>
    /// How many times more segments each window onto a spread book reaches on either side than the one before it.
    /// A rule's decision looks at the crossing and the candidate ranges that tie with it, a handful at most since D
    /// or S changes at every limit price, so a window this many segments wide holds it; if not, the next one, up to
    /// the whole book, does.
    /// </summary>
    private const int WindowGrowth = 8;

    /// <summary>How many segments the spread book being cleared has; -1 when its ladder is whole (see <see cref="BuildLadder"/>).</summary>
    private int _segmentCount = -1;

    /// <summary>How the last batch's ladder was read, for tests that must show each way is taken.</summary>
    internal LadderTrace LastLadder { get; private set; }

    // The spread book's totals and best prices, which every window shares.
    private UInt128 _spreadMarketBuy;
    private UInt128 _spreadMarketSell;
    private long? _spreadBestBid;
    private long? _spreadBestAsk;
    private int _spreadOrderCount;

    // The window last built: its segments and how many levels it holds (-1 for none yet).
    private int _windowFirst;
    private int _windowLast;
    private int _windowLevels = -1;

    /// <summary>
    /// Prepares a spread book (histogram bins wider than a tick) to be read window by window. The price axis is cut
    /// into segments, ascending: the outliers below the bins' window summed in bins of their own, the bins, and the
    /// outliers above, binned likewise. A segment knows the ticks it covers, D at its lowest limit (market buys and
    /// the buys of it and every segment above) and S at its highest (market sells and the sells of it and every
    /// segment below), which is all a window needs of what lies outside it.
    /// </summary>
    /// <returns>A default ladder: windows are built later by <see cref="BuildWindow(int, int)"/>.</returns>
    private PriceLadder BuildSegments(int count, long minLimit, long maxLimit, int outliers)
    {
        _spreadOrderCount = count;
        long windowLow = _histogram.WindowLow;
        long windowHigh = _histogram.WindowHigh;
        ReadOnlySpan<KeyedValue> outlierRecords = _records.AsSpan(0, outliers);
        int segments = 0;
        if (minLimit < windowLow)
        {
            segments = AppendOutlierSegments(outlierRecords, minLimit, windowLow - 1, segments);
        }

        Span<long> low = _segmentLow;
        Span<long> high = _segmentHigh;
        Span<UInt128> demand = _segmentDemand;
        Span<UInt128> supply = _segmentSupply;
        int bins = _histogram.Drain(minLimit, maxLimit, low[segments..], demand[segments..], supply[segments..], out UInt128 marketBuy, out UInt128 marketSell);
        SetSegmentBounds(segments, bins, _histogram.Shift, windowLow, windowHigh);
        segments += bins;
        if (maxLimit > windowHigh)
        {
            segments = AppendOutlierSegments(outlierRecords, windowHigh + 1, maxLimit, segments);
        }

        // The best prices, from the highest segment with buys and the lowest with sells, before the lots are summed.
        int bidSegment = segments - 1;
        while (bidSegment >= 0 && demand[bidSegment] == UInt128.Zero)
        {
            bidSegment--;
        }

        int askSegment = 0;
        while (askSegment < segments && supply[askSegment] == UInt128.Zero)
        {
            askSegment++;
        }

        FindBestPrices(bidSegment, askSegment < segments ? askSegment : -1);

        UInt128 running = marketBuy;
        for (int k = segments - 1; k >= 0; k--)
        {
            running += demand[k];
            demand[k] = running;
        }

        running = marketSell;
        for (int k = 0; k < segments; k++)
        {
            running += supply[k];
            supply[k] = running;
        }

        _spreadMarketBuy = marketBuy;
        _spreadMarketSell = marketSell;
        _segmentCount = segments;
        _windowLevels = -1;
        LastLadder = LastLadder with { Segments = segments };
        return default;
    }

    /// <summary>
    /// Sums the outliers from <paramref name="from"/> to <paramref name="to"/> in bins of their own, as many as the
    /// spread book's histogram has, and appends the non-empty ones as segments.
    /// </summary>
    /// <returns>The number of segments now written.</returns>
    private int AppendOutlierSegments(ReadOnlySpan<KeyedValue> outliers, long from, long to, int segments)
    {
        int shift = ShiftToCover((ulong)(to - from) + 1, _spreadBins);
        _outlierHistogram.SetWindow(from, shift, _spreadBins);
        PriceHistogram.Adder histogram = _outlierHistogram.StartAdding();
        ulong span = (ulong)(to - from);
        foreach (ref readonly KeyedValue outlier in outliers)
        {
            if ((ulong)((long)outlier.Key - from) <= span)
            {
                histogram.TryAdd((long)outlier.Key, outlier.Value);
            }
        }

        int bins = _outlierHistogram.Drain(
            from, to, _segmentLow.AsSpan(segments), _segmentDemand.AsSpan(segments), _segmentSupply.AsSpan(segments), out _, out _);
        SetSegmentBounds(segments, bins, shift, from, to);
        return segments + bins;
    }

    /// <summary>
    /// Bounds <paramref name="count"/> bin segments from <paramref name="first"/>, whose lowest tick the histogram
    /// wrote, to the ticks of their bins that lie from <paramref name="start"/> to <paramref name="end"/>: a window
    /// slid down from the top of the range begins below its start.
    /// </summary>
    private void SetSegmentBounds(int first, int count, int shift, long start, long end)
    {
        long binTicks = 1L << shift;
        for (int k = first; k < first + count; k++)
        {
            long binStart = _segmentLow[k];
            _segmentLow[k] = Math.Max(binStart, start);
            _segmentHigh[k] = end - binStart < binTicks - 1 ? end : binStart + (binTicks - 1);
        }
    }

    /// <summary>The fewest doublings of a bin's width (from one tick) that let <paramref name="bins"/> bins cover <paramref name="ticks"/> ticks.</summary>
    private static int ShiftToCover(ulong ticks, int bins)
    {
        int shift = 0;
        while (((ulong)bins << shift) < ticks)
        {
            shift++;
        }

        return shift;
    }

    /// <summary>
    /// Sets the spread book's best bid and ask from the segments that hold them (-1 for none): a segment of one tick
    /// says its price, any other needs its orders read.
    /// </summary>
    private void FindBestPrices(int bidSegment, int askSegment)
    {
        bool bidInBin = bidSegment >= 0 && _segmentLow[bidSegment] != _segmentHigh[bidSegment];
        bool askInBin = askSegment >= 0 && _segmentLow[askSegment] != _segmentHigh[askSegment];
        long bestBid = bidSegment >= 0 && !bidInBin ? _segmentLow[bidSegment] : 0;
        long bestAsk = askSegment >= 0 && !askInBin ? _segmentLow[askSegment] : long.MaxValue;
        if (bidInBin || askInBin)
        {
            long bidLow = bidInBin ? _segmentLow[bidSegment] : 1;
            ulong bidSpan = bidInBin ? (ulong)(_segmentHigh[bidSegment] - bidLow) : 0;
            long askLow = askInBin ? _segmentLow[askSegment] : 1;
            ulong askSpan = askInBin ? (ulong)(_segmentHigh[askSegment] - askLow) : 0;
            ReadOnlySpan<long> limits = _limitPrice.AsSpan(0, _spreadOrderCount);
            ReadOnlySpan<long> quantities = _signedQuantity.AsSpan(0, _spreadOrderCount);
            for (int i = 0; i < limits.Length; i++)
            {
                // The price first: it is rarely in either bin, where the side is a coin toss. Rejected and market
                // orders have price 0, below both.
                long price = limits[i];
                if (bidInBin && (ulong)(price - bidLow) <= bidSpan && quantities[i] > 0)
                {
                    bestBid = Math.Max(bestBid, price);
                }

                if (askInBin && (ulong)(price - askLow) <= askSpan && quantities[i] < 0)
                {
                    bestAsk = Math.Min(bestAsk, price);
                }
            }
        }

        _spreadBestBid = bidSegment >= 0 ? bestBid : null;
        _spreadBestAsk = askSegment >= 0 ? bestAsk : null;
    }

    /// <summary>
    /// Decides a spread book on a window of segments around where the decision lies: the segment where D stops
    /// exceeding S, or the given price's, and its neighbours. If the decision depends on what lies beyond the
    /// window, a wider one is read, until one holds it; the whole book always does.
    /// </summary>
    /// <param name="pricing">What decides the price.</param>
    /// <param name="ladder">The window the decision was made on, which holds the price.</param>
    private PriceDecision DecideThroughWindows(scoped in PriceSource pricing, out PriceLadder ladder)
    {
        int last = _segmentCount - 1;
        int centre = pricing.GivenPrice > 0 ? LastSegmentFrom(pricing.GivenPrice) : CrossingSegment();
        for (long reach = 1; ; reach *= WindowGrowth)
        {
            int first = (int)Math.Max(0, centre - reach);
            int end = (int)Math.Min(last, centre + reach);
            ladder = BuildWindow(first, end);
            if (pricing.TryDecide(ladder, out PriceDecision decision))
            {
                return decision;
            }

            Debug.Assert(first > 0 || end < last, "The whole book always holds the decision.");
        }
    }

    /// <summary>
    /// The last segment whose D at its lowest limit is at least S just below it, or 0. The crossing of the whole book,
    /// the last limit price with D ≥ S, lies in it or is the last limit of the segment before: past it, D never
    /// again reaches S.
    /// </summary>
    private int CrossingSegment()
    {
        ReadOnlySpan<UInt128> demand = _segmentDemand.AsSpan(0, _segmentCount);
        ReadOnlySpan<UInt128> supply = _segmentSupply.AsSpan(0, _segmentCount);
        int low = 0;
        int high = _segmentCount - 1;
        while (low < high)
        {
            int mid = (low + high + 1) >> 1;
            if (demand[mid] >= supply[mid - 1])
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low;
    }

    /// <summary>The last segment starting at or below <paramref name="price"/>, or 0.</summary>
    private int LastSegmentFrom(long price)
    {
        int index = _segmentLow.AsSpan(0, _segmentCount).BinarySearch(price);
        return Math.Max(0, index >= 0 ? index : ~index - 1);
    }

    /// <summary>
    /// The ladder of segments <paramref name="first"/> to <paramref name="last"/>: every limit price from just above
    /// the segment before to just below the segment after, exactly, read from the batch and sorted.
    /// </summary>
    /// <remarks>
    /// A window that holds the one built before it only reads and sorts the segments it adds, and lays them below and
    /// above the levels already built, so that no order is sorted twice: whatever an attacker puts in one bin, the
    /// windows of a batch cost at most one sort of its orders and a few passes over the index-aligned arrays.
    /// </remarks>
    private PriceLadder BuildWindow(int first, int last)
    {
        int segments = _segmentCount;
        LastLadder = LastLadder with { Windows = LastLadder.Windows + 1, ReachedWholeBook = LastLadder.ReachedWholeBook || (first == 0 && last == segments - 1) };
        long low = WindowLow(first);
        long high = WindowHigh(last);
        int levels;
        if (_windowLevels >= 0 && first <= _windowFirst && last >= _windowLast)
        {
            // Back to each level's own lots, then the new segments below and above them.
            int held = _windowLevels;
            Span<UInt128> heldDemand = _levelDemand.AsSpan(0, held);
            Span<UInt128> heldSupply = _levelSupply.AsSpan(0, held);
            UInt128 before = DemandAbove(_windowLast);
            for (int j = held - 1; j >= 0; j--)
            {
                UInt128 running = heldDemand[j];
                heldDemand[j] -= before;
                before = running;
            }

            before = SupplyBelow(_windowFirst);
            for (int j = 0; j < held; j++)
            {
                UInt128 running = heldSupply[j];
                heldSupply[j] -= before;
                before = running;
            }

            long heldLow = WindowLow(_windowFirst);
            long heldHigh = WindowHigh(_windowLast);
            Span<KeyedValue> sorted = SortedOrdersAround(low, high, heldLow, heldHigh);
            int below = CountBelow(sorted, heldLow);
            int levelsBelow = CountDistinct(sorted[..below]);
            _levelPrice.AsSpan(0, held).CopyTo(_levelPrice.AsSpan(levelsBelow));
            heldDemand.CopyTo(_levelDemand.AsSpan(levelsBelow));
            heldSupply.CopyTo(_levelSupply.AsSpan(levelsBelow));
            AppendLevels(sorted[..below], _levelPrice, _levelDemand, _levelSupply, 0);
            levels = AppendLevels(sorted[below..], _levelPrice, _levelDemand, _levelSupply, levelsBelow + held);
        }
        else
        {
            levels = AppendLevels(SortedOrdersAround(low, high, 1, 0), _levelPrice, _levelDemand, _levelSupply, 0);
        }

        _windowFirst = first;
        _windowLast = last;
        _windowLevels = levels;
        UInt128 demandAbove = DemandAbove(last);
        UInt128 supplyBelow = SupplyBelow(first);
        Span<UInt128> demand = _levelDemand.AsSpan(0, levels);
        Span<UInt128> supply = _levelSupply.AsSpan(0, levels);
        UInt128 sum = demandAbove;
        for (int j = levels - 1; j >= 0; j--)
        {
            sum += demand[j];
            demand[j] = sum;
        }

        sum = supplyBelow;
        for (int j = 0; j < levels; j++)
        {
            sum += supply[j];
            supply[j] = sum;
        }

        return new PriceLadder(
            _levelPrice.AsSpan(0, levels), demand, supply, _spreadMarketBuy, _spreadMarketSell, demandAbove, supplyBelow, low, high, _spreadBestBid, _spreadBestAsk);
    }

    /// <summary>How many distinct keys the <paramref name="sorted"/> records have: the levels they make.</summary>
    private static int CountDistinct(ReadOnlySpan<KeyedValue> sorted)
    {
        int distinct = sorted.IsEmpty ? 0 : 1;
        for (int k = 1; k < sorted.Length; k++)
        {
            distinct += sorted[k].Key != sorted[k - 1].Key ? 1 : 0;
        }

        return distinct;
    }

    /// <summary>The lowest tick a window from segment <paramref name="first"/> covers: just above the segment before.</summary>
    private long WindowLow(int first) => first == 0 ? 1 : _segmentHigh[first - 1] + 1;

    /// <summary>The highest tick a window to segment <paramref name="last"/> covers: just below the segment after.</summary>
    private long WindowHigh(int last) => last == _segmentCount - 1 ? long.MaxValue : _segmentLow[last + 1] - 1;

    /// <summary>D above a window to segment <paramref name="last"/>: at the next segment's lowest limit, or the market buys.</summary>
    private UInt128 DemandAbove(int last) => last + 1 < _segmentCount ? _segmentDemand[last + 1] : _spreadMarketBuy;

    /// <summary>S below a window from segment <paramref name="first"/>: at the previous segment's highest limit, or the market sells.</summary>
    private UInt128 SupplyBelow(int first) => first > 0 ? _segmentSupply[first - 1] : _spreadMarketSell;

    /// <summary>
    /// The segment holding the marginal buy level for <paramref name="volume"/>: the last whose D at its lowest limit
    /// covers it. D at the next segment's lowest limit does not, so the level is the segment's highest with D ≥ volume.
    /// </summary>
    private int LastSegmentWithDemand(UInt128 volume)
    {
        int low = 0;
        int high = _segmentCount - 1;
        while (low < high)
        {
            int mid = (low + high + 1) >> 1;
            if (_segmentDemand[mid] >= volume)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low;
    }

    /// <summary>The segment holding the marginal sell level for <paramref name="volume"/>: the first whose S at its highest limit covers it.</summary>
    private int FirstSegmentWithSupply(UInt128 volume)
    {
        int low = 0;
        int high = _segmentCount - 1;
        while (low < high)
        {
            int mid = (low + high) >> 1;
            if (_segmentSupply[mid] >= volume)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return low;
    }

    /// <summary>The ladder of segment <paramref name="segment"/> alone.</summary>
    private PriceLadder BuildWindow(int segment) => BuildWindow(segment, segment);

    /// <summary>
    /// The batch's accepted limit orders whose limit lies from <paramref name="low"/> (at least 1) to
    /// <paramref name="high"/> but not from <paramref name="skipLow"/> to <paramref name="skipHigh"/> (nothing is
    /// skipped when that range is empty), as (price, signed quantity) records sorted by price.
    /// </summary>
    private Span<KeyedValue> SortedOrdersAround(long low, long high, long skipLow, long skipHigh)
    {
        Debug.Assert(low >= 1 && low <= high);
        ReadOnlySpan<long> limits = _limitPrice.AsSpan(0, _spreadOrderCount);
        ReadOnlySpan<long> quantities = _signedQuantity.AsSpan(0, _spreadOrderCount);
        Span<KeyedValue> into = _records;
        ulong span = (ulong)(high - low);
        ulong skipSpan = skipLow <= skipHigh ? (ulong)(skipHigh - skipLow) : 0;
        long skipFrom = skipLow <= skipHigh ? skipLow : 0; // Price 0 is no accepted limit's.
        int gathered = 0;
        for (int i = 0; i < limits.Length; i++)
        {
            // Market and rejected orders have price 0, below any window; an order rejected as a duplicate after
            // intake keeps its price but has quantity 0.
            long price = limits[i];
            if ((ulong)(price - low) <= span && (ulong)(price - skipFrom) > skipSpan && quantities[i] != 0)
            {
                into[gathered++] = new KeyedValue((ulong)price, quantities[i]);
            }
        }

        LastLadder = LastLadder with { Sorted = LastLadder.Sorted + gathered };
        return RadixSort.Sort(into[..gathered], _recordsScratch);
    }
}

/// <summary>How an engine read the last batch's ladder.</summary>
/// <param name="Shift">The histogram's bins were 2^<paramref name="Shift"/> ticks wide: 0 for a band, read whole.</param>
/// <param name="Outliers">How many orders lay outside the histogram's window.</param>
/// <param name="Segments">The spread book's segments; -1 for a band, whose ladder is read whole.</param>
/// <param name="Windows">How many windows onto the spread book were read, for the price and the marginal level.</param>
/// <param name="ReachedWholeBook">Whether one of those windows was the whole book.</param>
/// <param name="Sorted">How many orders those windows read back and sorted, all windows together.</param>
internal readonly record struct LadderTrace(int Shift, int Outliers, int Segments, int Windows, bool ReachedWholeBook, int Sorted = 0);
