using System.Diagnostics;
using AuctionEngine.Clearing.Internal;
using AuctionEngine.Markets;
using AuctionEngine.Orders;

namespace AuctionEngine.Clearing;

public sealed partial class ClearingEngine
{
    /// <summary>
    /// The fewest orders a lane is given. A lane of 16,384 orders takes about 0.1 ms, several times what waking a
    /// sleeping worker costs; smaller slices would gain little even from a worker that is already awake. Tests pass a
    /// lower value to the internal constructor, so that small generated books exercise the lanes too.
    /// </summary>
    internal const int DefaultMinOrdersPerLane = 1 << 14;

    /// <summary>The most lanes an engine may use.</summary>
    public const int MaxDegreeOfParallelism = 16;

    private readonly int _minOrdersPerLane;
    private readonly Lane[] _lanes;
    private readonly DuplicateIdFilter[] _laneFilters;

    // The bits that two or more lanes' filters have set; only for an engine with more than one lane.
    private readonly ulong[]? _seenInSeveralLanes;
    private readonly LaneWorkers? _workers;
    private readonly Action<int> _runLane;
    private int _activeLanes = 1;

    // The step the workers run and the spans of the batch being cleared; set only while RunLanes waits for them.
    private LaneWork _lanesWork;
    private unsafe Order* _lanesOrders;
    private int _lanesOrderCount;
    private unsafe Fill* _lanesFills;
    private Market? _lanesMarket;

    private enum LaneWork
    {
        Intake,
        GatherSuspects,
        WriteFills,
    }

    /// <summary>How many threads one batch may use; see <see cref="ClearingEngine(int, int)"/>.</summary>
    public int DegreeOfParallelism => _lanes.Length;

    /// <summary>
    /// How many lanes a batch of <paramref name="count"/> orders uses: one per <paramref name="minOrdersPerLane"/>
    /// orders, at least one and at most <paramref name="degreeOfParallelism"/>. The one rule behind both the split
    /// (<see cref="StartLanes"/>) and the size of every lane's structures (<see cref="LongestSplitSlice"/>).
    /// </summary>
    internal static int LanesFor(int count, int degreeOfParallelism, int minOrdersPerLane) =>
        Math.Clamp(count / minOrdersPerLane, 1, degreeOfParallelism);

    /// <summary>
    /// The most orders <see cref="StartLanes"/> gives one lane of any batch of up to <paramref name="capacity"/> orders
    /// that it splits between two lanes or more: what the lanes' id filters, all reset for the batch's longest slice,
    /// must hold. (A batch on one lane uses only the first lane's filter, which holds the capacity.)
    /// </summary>
    /// <remarks>
    /// It is not <c>capacity / degreeOfParallelism</c>: a batch that uses fewer lanes than the degree gives each
    /// more, e.g. 49,151 orders on 2 of 3 lanes give a lane 24,576 where a capacity of 49,151 over 3 is 16,384. The
    /// longest of n orders' slices on L lanes is ⌈n / L⌉, which grows with n, so for each lane count L it comes
    /// from the largest batch that uses L lanes: one order short of the next multiple of
    /// <paramref name="minOrdersPerLane"/>, or the capacity, or for L = degree the capacity alone. At most the larger
    /// of ⌈capacity / degree⌉ and 1.5 × <paramref name="minOrdersPerLane"/>.
    /// </remarks>
    /// <returns>The longest slice, or 0 when no batch the capacity allows is split.</returns>
    internal static int LongestSplitSlice(int capacity, int degreeOfParallelism, int minOrdersPerLane)
    {
        int longest = 0;
        for (int lanes = 2; lanes <= degreeOfParallelism; lanes++)
        {
            long smallestBatch = (long)lanes * minOrdersPerLane;
            if (smallestBatch > capacity)
            {
                break;
            }

            long largestBatch = lanes == degreeOfParallelism ? capacity : Math.Min(capacity, smallestBatch + minOrdersPerLane - 1);
            Debug.Assert(LanesFor((int)largestBatch, degreeOfParallelism, minOrdersPerLane) == lanes);
            longest = Math.Max(longest, (int)((largestBatch + lanes - 1) / lanes));
        }

        return longest;
    }

    /// <summary>Splits a batch of <paramref name="count"/> orders into contiguous slices, one per lane.</summary>
    /// <returns>The number of lanes the batch uses.</returns>
    private int StartLanes(int count)
    {
        int laneCount = LanesFor(count, _lanes.Length, _minOrdersPerLane);
        for (int k = 0; k < laneCount; k++)
        {
            _lanes[k].Start = (int)((long)count * k / laneCount);
            _lanes[k].End = (int)((long)count * (k + 1) / laneCount);
        }

        _activeLanes = laneCount;
        return laneCount;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on every lane, the first on the calling thread and the others on the engine's
    /// workers, and returns when all are done.
    /// </summary>
    private unsafe void RunLanes(int laneCount, LaneWork work, Market? market, ReadOnlySpan<Order> orders, Span<Fill> fills)
    {
        if (laneCount == 1)
        {
            RunLane(_lanes[0], work, market, orders, fills);
            return;
        }

        Debug.Assert(_workers is not null);

        // The caller's spans may live anywhere, stack included; they stay valid (and pinned) until every lane is done.
        fixed (Order* ordersPointer = orders)
        fixed (Fill* fillsPointer = fills)
        {
            _lanesOrders = ordersPointer;
            _lanesOrderCount = orders.Length;
            _lanesFills = fillsPointer;
            _lanesMarket = market;
            _lanesWork = work;
            try
            {
                _workers.Run(laneCount, _runLane);
            }
            finally
            {
                _lanesOrders = null;
                _lanesFills = null;
                _lanesMarket = null;
            }
        }
    }

    private void RunLane(Lane lane, LaneWork work, Market? market, ReadOnlySpan<Order> orders, Span<Fill> fills)
    {
        switch (work)
        {
            case LaneWork.Intake:
                IntakeSlice(lane, market!, orders);
                break;
            case LaneWork.GatherSuspects:
                GatherSlice(lane);
                break;
            default:
                Debug.Assert(work == LaneWork.WriteFills);
                WriteFillsSlice(lane, orders, fills);
                break;
        }
    }

    /// <summary>One lane of the step <see cref="RunLanes"/> started, as the workers call it.</summary>
    private unsafe void RunLaneByIndex(int lane) =>
        RunLane(_lanes[lane], _lanesWork, _lanesMarket, new ReadOnlySpan<Order>(_lanesOrders, _lanesOrderCount), new Span<Fill>(_lanesFills, _lanesOrderCount));

    /// <summary>
    /// The exact duplicate check's candidates, gathered by every lane from its slice: ids its own filter suspects, and
    /// ids whose bits at least two lanes' filters have set, since the copies of a repeated id may sit in different lanes.
    /// </summary>
    /// <returns>How many (hash, index) records were gathered at the front of the record buffer.</returns>
    private int GatherSuspects(int count)
    {
        if (_activeLanes == 1)
        {
            return _ids.SuspectCount > 0 ? _ids.GatherSuspects(_idHashes.AsSpan(0, count), _records) : 0;
        }

        Debug.Assert(_seenInSeveralLanes is not null);
        DuplicateIdFilter.FindSeenInSeveral(_laneFilters.AsSpan(0, _activeLanes), _seenInSeveralLanes);
        RunLanes(_activeLanes, LaneWork.GatherSuspects, null, default, default);
        return MoveLaneRecordsToFront(_records, _activeLanes);
    }

    /// <summary>
    /// Moves the <see cref="Lane.Count"/> records each lane wrote from its slice's start in <paramref name="buffer"/>
    /// to the front of it, lane after lane.
    /// </summary>
    /// <returns>How many records the lanes wrote in all.</returns>
    private int MoveLaneRecordsToFront<T>(Span<T> buffer, int laneCount)
    {
        int total = 0;
        for (int k = 0; k < laneCount; k++)
        {
            Lane lane = _lanes[k];
            buffer.Slice(lane.Start, lane.Count).CopyTo(buffer[total..]);
            total += lane.Count;
        }

        return total;
    }

    private void GatherSlice(Lane lane)
    {
        int length = lane.End - lane.Start;
        lane.Count = lane.Filter.GatherSuspects(
            _idHashes.AsSpan(lane.Start, length), lane.Start, _seenInSeveralLanes, _records.AsSpan(lane.Start, length));
    }

    /// <summary>One slice of a batch, with the structures a thread fills on its own before they are merged.</summary>
    private sealed class Lane
    {
        public Lane(PriceHistogram histogram, DuplicateIdFilter filter)
        {
            Histogram = histogram;
            Filter = filter;
        }

        public PriceHistogram Histogram { get; }

        public DuplicateIdFilter Filter { get; }

        public int Start { get; set; }

        public int End { get; set; }

        // What the last step produced.
        public long MinLimit { get; set; }

        public long MaxLimit { get; set; }

        public int Rejected { get; set; }

        /// <summary>Records written from <see cref="Start"/>: outliers, suspects or rationed orders, by step.</summary>
        public int Count { get; set; }

        public int Filled { get; set; }
    }
}
