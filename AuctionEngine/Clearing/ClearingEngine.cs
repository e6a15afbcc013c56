using System.Diagnostics;
using AuctionEngine.Clearing.Internal;
using AuctionEngine.Markets;
using AuctionEngine.Orders;

namespace AuctionEngine.Clearing;

/// <summary>
/// Clears sealed batches at one uniform price. Sized once for a capacity, then called batch after batch without
/// allocating: every working buffer is owned by the engine and reused.
/// </summary>
/// <remarks>
/// <para>
/// The clearing rules, for a price p: demand D(p) is market buys plus limit buys with limit ≥ p; supply S(p) is
/// market sells plus limit sells with limit ≤ p; executable volume V(p) = min(D, S); surplus I(p) = D − S. The
/// <see cref="PriceRule"/> chooses the price (see its members). Because V and I only change at limit prices, the
/// engine works on the distinct limit prices and the gaps between them, never tick by tick, so prices may be
/// anywhere in the positive 63-bit range.
/// </para>
/// <para>
/// At the clearing price the short side fills completely. The long side fills by price priority (market orders
/// are the best level); the level where volume runs out is shared pro rata by quantity: each order gets the floor
/// of its exact share, then the leftover lots go one each by largest remainder, exact ties to the lower
/// <see cref="Order.PriorityKey"/> and then the lower <see cref="Order.Id"/>. Nothing depends on the order in which
/// orders appear in the input span.
/// </para>
/// <para>
/// An instance is not thread-safe: give each thread its own engine. One engine can itself split a large batch
/// between threads; see <see cref="ClearingEngine(int, int)"/>.
/// </para>
/// </remarks>
public sealed partial class ClearingEngine : IDisposable
{
    /// <summary>The most bins the price histogram has; limits outside its window are radix-sorted instead.</summary>
    private const int MaxHistogramWidth = 1 << 16;

    /// <summary>
    /// How many bins the histogram uses for a book spread too wide for one bin per tick (fewer in an engine of less
    /// than 32,768 orders' capacity): few enough that the bins intake adds to stay in the core's cache, many enough
    /// that a bin holds a few hundred of two million orders.
    /// </summary>
    internal const int DefaultSpreadBins = 1 << 12;

    private readonly int _capacity;

    // One entry per input order, index-aligned with the caller's spans.
    private readonly long[] _limitPrice;
    private readonly long[] _signedQuantity;
    private readonly RejectReason[] _rejection;

    private readonly ulong[] _idHashes;
    private readonly DuplicateIdFilter _ids;
    private readonly PriceHistogram _histogram;

    // Orders whose limit lies outside the histogram's window, as (price, signed quantity), and the sort's scratch.
    private readonly KeyedValue[] _records;
    private readonly KeyedValue[] _recordsScratch;

    // The price ladder: distinct limit prices ascending, with D and S at each.
    private readonly long[] _levelPrice;
    private readonly UInt128[] _levelDemand;
    private readonly UInt128[] _levelSupply;

    private readonly RationEntry[] _rationed;

    // A spread book's bins and the orders outside their window, as segments of the price axis (see ClearingEngine.Windows.cs).
    private readonly int _spreadBins;
    private readonly PriceHistogram _outlierHistogram;
    private readonly long[] _segmentLow;
    private readonly long[] _segmentHigh;
    private readonly UInt128[] _segmentDemand;
    private readonly UInt128[] _segmentSupply;

    // Only for batches larger than the capacity, allocated the first time one arrives: the id hashes of the largest
    // such batch so far and the sort's scratch, then the kept orders, their fills and positions, capacity-sized.
    private KeyedValue[]? _batchIds;
    private KeyedValue[]? _batchIdsScratch;
    private Order[]? _keptOrders;
    private Fill[]? _keptFills;
    private int[]? _keptIndex;

    private bool _disposed;

    /// <summary>Creates an engine that clears batches of up to <paramref name="capacity"/> orders on the calling thread.</summary>
    /// <param name="capacity">The most orders one batch clears. A batch may hold more: it is then validated and checked for repeated ids whole, and its valid orders with unique ids are cut to this many (see <see cref="RejectReason.OverCapacity"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not between 1 and 2^28.</exception>
    /// <remarks>
    /// Memory is proportional to the capacity: roughly 150 bytes per order, plus the bins of books spread too wide to
    /// count tick by tick (about 22 bytes per order: 11 KiB at least, 0.7 MiB at most). A batch larger than the
    /// capacity takes a slow path whose buffers are allocated the first time one arrives and reused after: about 90
    /// bytes per order of capacity, and 32 bytes per order of the largest such batch so far (a larger one allocates
    /// them again).
    /// </remarks>
    public ClearingEngine(int capacity)
        : this(capacity, 1)
    {
    }

    /// <summary>
    /// Creates an engine that clears batches of up to <paramref name="capacity"/> orders, splitting a large batch's
    /// passes over the orders between up to <paramref name="degreeOfParallelism"/> threads: the caller's and
    /// <paramref name="degreeOfParallelism"/> − 1 background threads the engine owns until it is disposed. The result
    /// is the same for every degree; only the time differs.
    /// </summary>
    /// <param name="capacity">The most orders one batch clears. A batch may hold more: it is then validated and checked for repeated ids whole, and its valid orders with unique ids are cut to this many (see <see cref="RejectReason.OverCapacity"/>).</param>
    /// <param name="degreeOfParallelism">How many threads one batch may use, from 1 to <see cref="MaxDegreeOfParallelism"/>. A batch uses one thread per 16,384 orders at most, so small batches stay on the calling thread.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not between 1 and 2^28, or <paramref name="degreeOfParallelism"/> is out of range.</exception>
    /// <remarks>
    /// <para>
    /// Memory is proportional to the capacity, roughly 150 bytes per order and the bins of books spread too wide to
    /// count tick by tick (about 22 bytes per order: 11 KiB at least, 0.7 MiB at most), plus for each extra thread
    /// its own price histogram (2 MiB) and id filter (about 4 bytes per order of the longest share a batch can give
    /// one thread: capacity / degree, or up to 24,576 orders when a smaller batch is split between fewer threads).
    /// Clearing still allocates nothing per batch, except that a batch larger than the capacity takes a slow path
    /// whose buffers are allocated the first time one arrives and reused after: about 90 bytes per order of capacity,
    /// and 32 bytes per order of the largest such batch so far.
    /// </para>
    /// <para>
    /// The background threads spin for about 0.1 ms after each pass before they block, so that the next pass, or a
    /// batch that follows at once, finds them awake; between blocks they take no processor time. Dispose the engine
    /// to end them.
    /// </para>
    /// </remarks>
    public ClearingEngine(int capacity, int degreeOfParallelism)
        : this(capacity, degreeOfParallelism, DefaultMinOrdersPerLane, DefaultSpreadBins)
    {
    }

    /// <summary>
    /// The engine of <see cref="ClearingEngine(int, int)"/>, giving a lane at least <paramref name="minOrdersPerLane"/>
    /// orders instead of <see cref="DefaultMinOrdersPerLane"/>, and a spread book at most <paramref name="spreadBins"/>
    /// bins instead of <see cref="DefaultSpreadBins"/>, for tests that split small batches or put many orders in a
    /// bin. The lanes' structures are sized from them (see <see cref="LongestSplitSlice"/>), so they are fixed for the
    /// engine's life.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; <paramref name="minOrdersPerLane"/> and <paramref name="spreadBins"/> must be positive.</exception>
    internal ClearingEngine(int capacity, int degreeOfParallelism, int minOrdersPerLane, int spreadBins = DefaultSpreadBins)
    {
        if (minOrdersPerLane < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(minOrdersPerLane), "A lane must be given at least one order.");
        }

        if (spreadBins < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(spreadBins), "A spread book needs at least one bin.");
        }

        if (capacity is < 1 or > MaxCapacity)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(capacity), $"The capacity must be between 1 and {MaxCapacity}.");
        }

        if (degreeOfParallelism is < 1 or > MaxDegreeOfParallelism)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(degreeOfParallelism), $"The degree of parallelism must be between 1 and {MaxDegreeOfParallelism}.");
        }

        _capacity = capacity;
        _limitPrice = new long[capacity];
        _signedQuantity = new long[capacity];
        _rejection = new RejectReason[capacity];
        _idHashes = new ulong[capacity];
        _ids = new DuplicateIdFilter(capacity);
        int histogramWidth = Math.Min(MaxHistogramWidth, Math.Max(64, 2 * capacity));
        _histogram = new PriceHistogram(histogramWidth);
        _minOrdersPerLane = minOrdersPerLane;
        _lanes = new Lane[degreeOfParallelism];
        _laneFilters = new DuplicateIdFilter[degreeOfParallelism];
        _lanes[0] = new Lane(_histogram, _laneFilters[0] = _ids);
        int longestSlice = LongestSplitSlice(capacity, degreeOfParallelism, minOrdersPerLane);
        for (int k = 1; k < degreeOfParallelism; k++)
        {
            _lanes[k] = new Lane(new PriceHistogram(histogramWidth), _laneFilters[k] = new DuplicateIdFilter(longestSlice));
        }

        _seenInSeveralLanes = degreeOfParallelism > 1 ? new ulong[DuplicateIdFilter.SeenWordsFor(longestSlice)] : null;

        _records = new KeyedValue[capacity];
        _recordsScratch = new KeyedValue[capacity];
        _levelPrice = new long[capacity];
        _levelDemand = new UInt128[capacity];
        _levelSupply = new UInt128[capacity];
        _rationed = new RationEntry[capacity];

        // A bin per 8 orders of capacity at most (176 bytes each, with its segments): as many segments as bins, and as
        // many again for the orders below the bins' window and above it.
        _spreadBins = Math.Min(spreadBins, Math.Min(histogramWidth, Math.Max(64, capacity / 8)));
        _outlierHistogram = new PriceHistogram(_spreadBins);
        _segmentLow = new long[3 * _spreadBins];
        _segmentHigh = new long[3 * _spreadBins];
        _segmentDemand = new UInt128[3 * _spreadBins];
        _segmentSupply = new UInt128[3 * _spreadBins];
        _runLane = RunLaneByIndex;

        // Last, so that a constructor that fails (out of memory) leaves no threads behind.
        _workers = degreeOfParallelism > 1 ? new LaneWorkers(degreeOfParallelism - 1, "AuctionEngine clearing lane") : null;
    }

    /// <summary>
    /// Ends the background threads of an engine created with a degree of parallelism above 1 (an engine that clears
    /// on the calling thread alone has none). A disposed engine clears no more batches.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        _workers?.Dispose();
    }

    /// <summary>The largest capacity an engine can be created with.</summary>
    public const int MaxCapacity = 1 << 28;

    /// <summary>
    /// The most orders one batch clears. A larger batch is validated and checked for repeated ids whole; then, of its
    /// valid orders with unique ids, this many clear and the rest are <see cref="RejectReason.OverCapacity"/>.
    /// </summary>
    public int Capacity => _capacity;

    /// <summary>Clears one batch at a single uniform price.</summary>
    /// <param name="market">The market the orders trade in; its bounds decide which orders are acceptable.</param>
    /// <param name="orders">The batch, in any order: the result does not depend on it.</param>
    /// <param name="fills">Receives one entry per order: <c>fills[i]</c> describes <c>orders[i]</c>. At least as long as <paramref name="orders"/>; entries past that are left alone.</param>
    /// <param name="options">The price rule and the optional reference price.</param>
    /// <returns>The batch outcome: whether it cleared, the price, the volume and the surplus.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="market"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fills"/> is shorter than <paramref name="orders"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options name an unknown rule, or a reference price outside 1 to <see cref="Market.MaxPrice"/>.</exception>
    /// <exception cref="ObjectDisposedException">The engine was disposed.</exception>
    /// <remarks>
    /// Nothing is allocated, except on the slow path of a batch larger than <see cref="Capacity"/>: every order is
    /// validated and every repeated id rejected first, then of the valid orders with unique ids the
    /// <see cref="Capacity"/> with the lowest (priority key, id) clear and the rest are
    /// <see cref="RejectReason.OverCapacity"/>. Its buffers are allocated the first time such a batch arrives and
    /// reused after: about 90 bytes per order of capacity, and 32 bytes per order of the largest over-capacity batch
    /// so far.
    /// </remarks>
    public ClearingResult Clear(Market market, ReadOnlySpan<Order> orders, Span<Fill> fills, ClearingOptions options = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(market);
        if (fills.Length < orders.Length)
        {
            ThrowHelper.ThrowArgumentException_FillsTooShort(fills.Length, orders.Length, nameof(fills));
        }

        if (options.Rule is not (PriceRule.Midpoint or PriceRule.Xetra or PriceRule.Euronext))
        {
            ThrowHelper.ThrowArgumentOutOfRange_Rule(options.Rule, nameof(options));
        }

        if (options.ReferencePrice is long reference && (reference <= 0 || reference > market.MaxPrice))
        {
            ThrowHelper.ThrowArgumentOutOfRange_ReferencePrice(reference, market.MaxPrice, nameof(options));
        }

        fills = fills[..orders.Length];
        var pricing = new PriceSource(options, GivenPrice: 0);
        return orders.Length <= _capacity
            ? ClearWithinCapacity(market, orders, fills, pricing)
            : ClearOverCapacity(market, orders, fills, pricing);
    }

    /// <summary>
    /// Clears one batch at a price the caller gives instead of one a rule discovers: for a host that must honour a
    /// price decided elsewhere.
    /// </summary>
    /// <param name="market">The market the orders trade in; its bounds decide which orders are acceptable.</param>
    /// <param name="orders">The batch, in any order: the result does not depend on it.</param>
    /// <param name="fills">Receives one entry per order: <c>fills[i]</c> describes <c>orders[i]</c>. At least as long as <paramref name="orders"/>; entries past that are left alone.</param>
    /// <param name="price">The price in ticks, from 1 to <see cref="Market.MaxPrice"/>.</param>
    /// <returns>
    /// <see cref="ClearingStatus.Cleared"/> at <paramref name="price"/> with its volume and surplus when the executable
    /// volume there, V(price) = min(D(price), S(price)), is positive; otherwise
    /// <see cref="ClearingStatus.NothingExecutable"/> with the best bid and ask, and no order trades.
    /// <see cref="ClearingResult.Rule"/> is left at its default, since no rule chose the price.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="market"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fills"/> is shorter than <paramref name="orders"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="price"/> is outside 1 to <see cref="Market.MaxPrice"/>.</exception>
    /// <exception cref="ObjectDisposedException">The engine was disposed.</exception>
    /// <remarks>
    /// <para>
    /// Everything but the price is <see cref="Clear"/>'s: the same validation, duplicate-id check and capacity cut, on
    /// as many threads, allocating nothing (over capacity, see <see cref="Clear"/>). At <paramref name="price"/> the
    /// short side fills completely and the long side by price priority, market orders as its best level, with the
    /// level where volume runs out shared pro rata, largest remainder first: exactly the fills <see cref="Clear"/>
    /// gives when its rule chooses that price. A price at which nothing trades is not an error; the result says so.
    /// </para>
    /// <para>
    /// Discovery and allocation can then take the same orders on different terms. A sealed batch with bounded market
    /// orders, for instance, clears in two steps: <see cref="Clear"/> finds the price with each bound standing in as
    /// the order's limit, and this method allocates at that price with the same orders as market orders, so that they
    /// keep market priority over every limit order.
    /// </para>
    /// </remarks>
    public ClearingResult ClearAtPrice(Market market, ReadOnlySpan<Order> orders, Span<Fill> fills, long price)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(market);
        if (fills.Length < orders.Length)
        {
            ThrowHelper.ThrowArgumentException_FillsTooShort(fills.Length, orders.Length, nameof(fills));
        }

        if (price <= 0 || price > market.MaxPrice)
        {
            ThrowHelper.ThrowArgumentOutOfRange_Price(price, market.MaxPrice, nameof(price));
        }

        fills = fills[..orders.Length];
        var pricing = new PriceSource(default, price);
        return orders.Length <= _capacity
            ? ClearWithinCapacity(market, orders, fills, pricing)
            : ClearOverCapacity(market, orders, fills, pricing);
    }

    private ClearingResult ClearWithinCapacity(Market market, ReadOnlySpan<Order> orders, Span<Fill> fills, in PriceSource pricing)
    {
        Debug.Assert(orders.Length <= _capacity && fills.Length == orders.Length);
        int rejected = Intake(market, orders, out long minLimit, out long maxLimit, out int outliers);
        PriceLadder ladder = BuildLadder(orders.Length, minLimit, maxLimit, outliers);

        // Settled after the ladder is built, because the exact check sorts in the buffers the outliers used. Honest
        // batches hold only false suspects; one that really repeats an id has its ladder built again without them.
        int suspects = GatherSuspects(orders.Length);
        if (suspects > 0)
        {
            int duplicates = RejectDuplicates(suspects);
            if (duplicates > 0)
            {
                rejected += duplicates;
                ladder = BuildLadder(orders.Length, minLimit, maxLimit, Rebin(orders.Length, minLimit, maxLimit));
            }
        }

        PriceDecision decision = _segmentCount < 0 ? pricing.Decide(ladder) : DecideThroughWindows(pricing, out ladder);
        var result = new ClearingResult
        {
            Status = decision.Status,
            Rule = pricing.Options.Rule,
            BestBid = ladder.BestBid,
            BestAsk = ladder.BestAsk,
            AcceptedCount = orders.Length - rejected,
            RejectedCount = rejected,
        };

        if (decision.Status != ClearingStatus.Cleared)
        {
            WriteNoTrade(fills);
            return result;
        }

        return Allocate(market, orders, fills, ladder, decision.Price, result);
    }

    private void WriteNoTrade(Span<Fill> fills)
    {
        for (int i = 0; i < fills.Length; i++)
        {
            fills[i] = new Fill(0, UInt128.Zero, RejectionOf(i));
        }
    }

    /// <summary>
    /// What decides a batch's price: the rule and reference price of <see cref="Options"/> for <see cref="Clear"/>, or
    /// for <see cref="ClearAtPrice"/> the <see cref="GivenPrice"/> (0 when a rule decides).
    /// </summary>
    private readonly record struct PriceSource(ClearingOptions Options, long GivenPrice)
    {
        /// <summary>The decision on a ladder of the whole book.</summary>
        public PriceDecision Decide(in PriceLadder ladder)
        {
            bool whole = TryDecide(ladder, out PriceDecision decision);
            Debug.Assert(whole);
            return decision;
        }

        /// <summary>The decision, if <paramref name="ladder"/> holds what it depends on; see <see cref="PriceDiscovery.TryFind"/>.</summary>
        public bool TryDecide(in PriceLadder ladder, out PriceDecision decision)
        {
            if (GivenPrice > 0)
            {
                decision = PriceDiscovery.AtGivenPrice(ladder, GivenPrice);
                return true;
            }

            return PriceDiscovery.TryFind(ladder, Options.Rule, Options.ReferencePrice, out decision);
        }
    }

    /// <summary>
    /// An order's rejection reason. Reasons are only written for rejected orders (signed quantity 0), so for an
    /// accepted order the slot may still hold an earlier batch's reason and must not be read.
    /// </summary>
    private RejectReason RejectionOf(int index) => _signedQuantity[index] == 0 ? _rejection[index] : RejectReason.None;
}
