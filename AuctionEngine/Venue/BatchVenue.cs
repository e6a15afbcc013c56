using System.Runtime.InteropServices;
using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Management.Internal;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Venue;

/// <summary>
/// The block loop of one market: an <see cref="OrderManager"/>'s standing instructions, the host's orders and any other
/// <see cref="IBatchOrderSource"/> clear together in one uniform-price batch per block, behind a circuit breaker.
/// </summary>
/// <remarks>
/// <para><see cref="ProcessBlock"/> runs block N in four steps:</para>
/// <list type="number">
/// <item><description>the manager's <see cref="OrderManager.Submit"/>: block N's cancellations and instructions;</description></item>
/// <item><description>batch N: the host's orders for N, each source's orders for N, the manager's orders released for N,
/// and every batch an interruption holds, cleared once by the <see cref="ClearingEngine"/> with every priority key drawn
/// from batch N's randomness. The circuit breaker judges the price before anything is applied: outside a band, the
/// batch is interrupted and waits (see below);</description></item>
/// <item><description>the fills: to the sources and the host (as events), then to the manager, batch by batch;</description></item>
/// <item><description>the manager's <see cref="OrderManager.Evaluate"/>: triggers and the releases for batch N + 1.</description></item>
/// </list>
/// <para>
/// A hook (<see cref="SetHook"/>, for example a perpetual market's margin engine) admits the gathered batch in step 2 just
/// before the clearing (an order it keeps out is unfilled, one it cuts clears with fewer lots) and learns the whole
/// outcome at the end of step 3, before the evaluation.
/// </para>
/// <para>
/// The circuit breaker (<see cref="CircuitBreakerSettings"/>): batch N's would-be price is checked against the static band
/// around the block's usable oracle price and the dynamic band around the last clearing price (no oracle, no static
/// check; no clearing yet, no dynamic check). Outside either, batch N is interrupted until N + k: it and the orders of
/// blocks N + 1 … N + k − 1 wait, no batch clears in those blocks, and at N + k they clear together with block N + k's
/// own orders. That extended batch clears when its price lies inside the static band, even outside the dynamic band (the
/// pause has done its job); outside the static band it is interrupted again, until N + 2k. Nothing is lost: every
/// waiting order is in the batch that finally clears. Instructions whose orders wait release nothing new meanwhile.
/// </para>
/// <para>
/// <see cref="Events"/> lists the block in this order: the manager's submission events; then
/// <see cref="VenueEventKind.Interrupted"/>, or <see cref="VenueEventKind.Cleared"/> or
/// <see cref="VenueEventKind.NotCleared"/>, followed by the <see cref="VenueEventKind.OrderRejected"/> and then the
/// <see cref="VenueEventKind.Fill"/> events of the host's and sources' orders (each in ascending batch, then source with
/// the host first and sources in the order they were added, then order id), then the manager's
/// fill-step events batch by batch (ascending); then the manager's evaluation events. A block inside an interruption
/// reports no batch event. Submission order within a block never matters (the manager sorts), so the same inputs
/// always give the same events.
/// </para>
/// <para>
/// Once warm (its buffers grown to the largest batch seen), a block without submissions allocates nothing. An instance
/// is not thread-safe.
/// </para>
/// </remarks>
public sealed partial class BatchVenue
{
    /// <summary>The <see cref="VenueEvent.Source"/> of the host's own orders (those given to <see cref="ProcessBlock"/>).</summary>
    public const int HostSource = -1;

    private readonly OrderManager _manager;
    private readonly ClearingEngine _engine;
    private readonly CircuitBreakerSettings _breaker;
    private readonly ClearingOptions _options;
    private readonly List<IBatchOrderSource> _sources = [];
    private IBatchHook? _hook;

    private readonly ValueList<HeldOrder> _held = new(64);       // host and source orders waiting to clear
    private readonly ValueList<long> _managerBatches = new(8);   // the manager's batches waiting to clear, ascending
    private readonly BatchOrderSink _sink;
    private readonly ValueList<VenueEvent> _events = new(64);

    // Per-block scratch: the batch as cleared, and which manager order sits where.
    private Order[] _batchOrders = new Order[64];
    private Fill[] _batchFills = new Fill[64];
    private readonly ValueList<ManagedOrder> _managed = new(64);
    private readonly ValueList<Fill> _managerFills = new(64);

    // With a hook: what it admitted, and the admitted orders and their fills as the clearing saw them.
    private long[] _admitted = new long[64];
    private Order[] _clearOrders = new Order[64];
    private Fill[] _clearFills = new Fill[64];

    private bool _hasLastPrice;
    private long _lastPrice;
    private bool _hasOracle;
    private OracleObservation _oracle;
    private long _interruptedUntil = long.MinValue; // the block the waiting orders clear in, while interrupted
    private long _firstWaitingBatch;
    private long _lastBlock = long.MinValue;

    /// <summary>Creates a venue around a manager.</summary>
    /// <param name="manager">The manager whose released orders join each batch; the venue drives its steps from now on.</param>
    /// <param name="engine">The engine that clears the batches; its capacity should hold the largest batch (a larger one rejects its excess orders).</param>
    /// <param name="circuitBreaker">The volatility interruption; <see cref="CircuitBreakerSettings.Off"/> for none.</param>
    /// <param name="options">The price rule and reference price every batch clears with.</param>
    /// <exception cref="ArgumentNullException"><paramref name="manager"/>, <paramref name="engine"/> or <paramref name="circuitBreaker"/> is null.</exception>
    public BatchVenue(OrderManager manager, ClearingEngine engine, CircuitBreakerSettings circuitBreaker, ClearingOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(circuitBreaker);
        _manager = manager;
        _engine = engine;
        _breaker = circuitBreaker;
        _options = options;
        _sink = new BatchOrderSink(_held);
    }

    /// <summary>The manager whose instructions the venue carries out.</summary>
    public OrderManager Manager => _manager;

    /// <summary>The circuit breaker's settings.</summary>
    public CircuitBreakerSettings CircuitBreaker => _breaker;

    /// <summary>The price of the last batch that cleared, or null before the first.</summary>
    public long? LastClearingPrice => _hasLastPrice ? _lastPrice : null;

    /// <summary>While a batch is interrupted, the block its orders clear in; otherwise null.</summary>
    public long? InterruptedUntil => _interruptedUntil == long.MinValue ? null : _interruptedUntil;

    /// <summary>The last block processed, or <see cref="long.MinValue"/> before the first.</summary>
    public long LastBlock => _lastBlock;

    /// <summary>The events of the last <see cref="ProcessBlock"/>, in the documented order; valid until the next call.</summary>
    public ReadOnlySpan<VenueEvent> Events => _events.Span;

    /// <summary>How many host and source orders wait in an interrupted batch.</summary>
    public int WaitingOrders => _held.Count;

    /// <summary>
    /// Adds an order source: from the next block on, its orders join every batch after the host's and earlier sources'.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <returns>Its index, reported as <see cref="VenueEvent.Source"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <remarks>A snapshot names sources by index, so a restored venue must add the same sources in the same order.</remarks>
    public int AddSource(IBatchOrderSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _sources.Add(source);
        return _sources.Count - 1;
    }

    /// <summary>
    /// Sets the hook that admits every batch's orders before it clears and learns its outcome after (see
    /// <see cref="IBatchHook"/>); from the next block on, it replaces any earlier hook.
    /// </summary>
    /// <param name="hook">The hook.</param>
    /// <exception cref="ArgumentNullException"><paramref name="hook"/> is null.</exception>
    public void SetHook(IBatchHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        _hook = hook;
    }

    /// <summary>
    /// The priority key a host's or source's order gets in a batch: <c>SplitMix64(id XOR BE64(batchRandomness[0..8]))</c>.
    /// The manager's orders get <see cref="ManagedOrder.PriorityKey"/> under the same randomness.
    /// </summary>
    /// <param name="orderId">The order's id.</param>
    /// <param name="batchRandomness">The randomness of the batch it clears in.</param>
    /// <returns>The key; distinct ids give distinct keys.</returns>
    public static ulong PriorityKey(ulong orderId, Hash32 batchRandomness)
    {
        ulong z = (orderId ^ batchRandomness.Prefix) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Runs one block: submissions, batch <paramref name="block"/> behind the circuit breaker, fills, evaluation.</summary>
    /// <param name="block">The block; after the last one processed.</param>
    /// <param name="observation">This block's oracle observation, if the host has one.</param>
    /// <param name="cancellations">Signed cancellations that arrived in the block.</param>
    /// <param name="instructions">Signed instructions that arrived in the block.</param>
    /// <param name="orders">The host's orders for batch <paramref name="block"/>; the venue copies them, so the span may be reused.</param>
    /// <param name="batchRandomness">Batch <paramref name="block"/>'s randomness: every priority key of the batch is drawn from it.</param>
    /// <param name="nextBatchRandomness">Batch <c>block + 1</c>'s randomness, for the orders the manager releases now.</param>
    /// <returns><see cref="Events"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="block"/> is not after the last block processed or evaluated, or the observation's price is not
    /// between 1 and the market's maximum. The venue and the manager are then unchanged.
    /// </exception>
    public ReadOnlySpan<VenueEvent> ProcessBlock(
        long block,
        OracleObservation? observation,
        ReadOnlySpan<SignedCancellation> cancellations,
        ReadOnlySpan<SignedInstruction> instructions,
        ReadOnlySpan<Order> orders,
        Hash32 batchRandomness,
        Hash32 nextBatchRandomness)
    {
        CheckBlock(block, observation);
        ClearBlock(block, observation, cancellations, instructions, orders, batchRandomness);
        EvaluateBlock(block, observation, nextBatchRandomness);
        return _events.Span;
    }

    /// <summary>
    /// <see cref="ProcessBlock"/> for instructions whose signatures the caller has already checked (tests, benchmarks).
    /// </summary>
    internal ReadOnlySpan<VenueEvent> ProcessVerifiedBlock(
        long block,
        OracleObservation? observation,
        ReadOnlySpan<InstructionCancellation> cancellations,
        ReadOnlySpan<Instruction> instructions,
        ReadOnlySpan<Order> orders,
        Hash32 batchRandomness,
        Hash32 nextBatchRandomness)
    {
        CheckBlock(block, observation);
        ClearVerifiedBlock(block, observation, cancellations, instructions, orders, batchRandomness);
        EvaluateBlock(block, observation, nextBatchRandomness);
        return _events.Span;
    }

    /// <summary>How many order sources have been added.</summary>
    internal int SourceCount => _sources.Count;

    /// <summary>The last source added, for a host that checks what a restored venue was given.</summary>
    internal IBatchOrderSource? LastSource => _sources.Count == 0 ? null : _sources[^1];

    /// <summary>Puts <paramref name="source"/> in the last source's place (a restored venue's placeholder; see <see cref="PerpetualVenue.RestoringSource"/>).</summary>
    internal int ReplaceLastSource(IBatchOrderSource source)
    {
        _sources[^1] = source;
        return _sources.Count - 1;
    }

    /// <summary>Adds the ids of the host's own orders waiting in an interrupted batch.</summary>
    internal void CollectWaitingHostOrders(List<ulong> ids)
    {
        foreach (HeldOrder held in _held.Span)
        {
            if (held.Source == HostSource)
            {
                ids.Add(held.Order.Id);
            }
        }
    }

    /// <summary>
    /// Steps 1 to 3 of <see cref="ProcessBlock"/> (submissions, the batch, its fills and the hook's
    /// <see cref="IBatchHook.OnBatchDone"/>), for a host that runs several venues' batches before any evaluates; the
    /// caller has passed <see cref="CheckBlock"/> and calls <see cref="EvaluateBlock"/> next. <see cref="Events"/> then
    /// holds the block's events so far.
    /// </summary>
    internal void ClearBlock(
        long block,
        OracleObservation? observation,
        ReadOnlySpan<SignedCancellation> cancellations,
        ReadOnlySpan<SignedInstruction> instructions,
        ReadOnlySpan<Order> orders,
        Hash32 batchRandomness)
    {
        BeginBlock(block, observation);
        _manager.Submit(block, cancellations, instructions);
        CollectManagerEvents();
        RunBatch(block, orders, batchRandomness);
    }

    /// <summary><see cref="ClearBlock"/> for instructions whose signatures the caller has already checked.</summary>
    internal void ClearVerifiedBlock(
        long block,
        OracleObservation? observation,
        ReadOnlySpan<InstructionCancellation> cancellations,
        ReadOnlySpan<Instruction> instructions,
        ReadOnlySpan<Order> orders,
        Hash32 batchRandomness)
    {
        BeginBlock(block, observation);
        _manager.SubmitVerified(block, cancellations, instructions);
        CollectManagerEvents();
        RunBatch(block, orders, batchRandomness);
    }

    /// <summary>Step 4 of <see cref="ProcessBlock"/>, after <see cref="ClearBlock"/>: the manager's evaluation, its events appended to <see cref="Events"/>.</summary>
    internal void EvaluateBlock(long block, OracleObservation? observation, Hash32 nextBatchRandomness)
    {
        _manager.Evaluate(block, observation, nextBatchRandomness);
        CollectManagerEvents();
    }

    /// <summary>The checks <see cref="ProcessBlock"/> makes before it changes anything.</summary>
    internal void CheckBlock(long block, OracleObservation? observation)
    {
        if (block <= _lastBlock || block <= _manager.LastEvaluatedBlock)
        {
            ThrowHelper.ThrowArgumentOutOfRange_BlockAlreadyEvaluated(block, Math.Max(_lastBlock, _manager.LastEvaluatedBlock));
        }

        if (observation is { } given && (given.Price < 1 || given.Price > _manager.Settings.Market.MaxPrice))
        {
            ThrowHelper.ThrowArgumentOutOfRange_OraclePrice(given.Price, _manager.Settings.Market.MaxPrice, nameof(observation));
        }
    }

    private void BeginBlock(long block, OracleObservation? observation)
    {
        _events.Clear();
        _manager.ClearEvents();
        _lastBlock = block;
        if (observation is { } given)
        {
            _oracle = given;
            _hasOracle = true;
        }
    }

    private void CollectManagerEvents()
    {
        foreach (ManagementEvent e in _manager.Events)
        {
            _events.Add(new VenueEvent { Kind = VenueEventKind.Management, Block = e.Block, Management = e });
        }

        _manager.ClearEvents();
    }

    private void RunBatch(long block, ReadOnlySpan<Order> orders, Hash32 randomness)
    {
        bool extended = _interruptedUntil != long.MinValue;
        if (!extended)
        {
            _firstWaitingBatch = block;
        }

        _sink.Begin(HostSource, block);
        foreach (Order order in orders)
        {
            _sink.Add(order);
        }

        for (int i = 0; i < _sources.Count; i++)
        {
            _sink.Begin(i, block);
            _sources[i].ListOrders(block, _sink);
        }

        _managerBatches.Add(block);
        if (extended && block < _interruptedUntil)
        {
            return; // the batch joins the interrupted one and waits
        }

        // The order the host listed its orders in must not matter: events follow (batch, source, id).
        _held.Span.Sort(HeldOrder.Compare); // a cached static delegate: the generic comparer overload would box
        int count = GatherBatch(randomness);
        Span<Fill> fills = _batchFills.AsSpan(0, count);
        int cleared = _hook is null ? count : Admit(block, count);
        ClearingResult result = _hook is null
            ? _engine.Clear(_manager.Settings.Market, _batchOrders.AsSpan(0, count), fills, _options)
            : _engine.Clear(_manager.Settings.Market, _clearOrders.AsSpan(0, cleared), _clearFills.AsSpan(0, cleared), _options);
        if (result.Status == ClearingStatus.Cleared)
        {
            long price = result.Price!.Value;
            CircuitBand failed = FailedBand(block, price, extended);
            if (failed != CircuitBand.None)
            {
                _interruptedUntil = block + _breaker.ExtensionBlocks;
                _events.Add(new VenueEvent
                {
                    Kind = VenueEventKind.Interrupted, Block = block, Batch = block, FirstBatch = _firstWaitingBatch,
                    Price = price, Band = failed, Until = _interruptedUntil,
                });
                return;
            }

            _hasLastPrice = true;
            _lastPrice = price;
            _events.Add(new VenueEvent
            {
                Kind = VenueEventKind.Cleared, Block = block, Batch = block, FirstBatch = _firstWaitingBatch, Price = price, Volume = result.Volume,
            });
        }
        else
        {
            _events.Add(new VenueEvent { Kind = VenueEventKind.NotCleared, Block = block, Batch = block, FirstBatch = _firstWaitingBatch, Status = result.Status });
        }

        if (_hook is not null)
        {
            SpreadFills(count, fills);
        }

        Deliver(block, fills, result.Price);
        _hook?.OnBatchDone(block, result.Price, _clearOrders.AsSpan(0, cleared), _clearFills.AsSpan(0, cleared));
        _held.Clear();
        _managerBatches.Clear();
        _interruptedUntil = long.MinValue;
    }

    /// <summary>Copies every waiting order into the batch buffer, each keyed from the batch's randomness.</summary>
    private int GatherBatch(Hash32 randomness)
    {
        _managed.Clear();
        foreach (long batch in _managerBatches.Span)
        {
            foreach (ManagedOrder order in _manager.ReleasedOrders(batch))
            {
                _managed.Add(order);
            }
        }

        int count = _held.Count + _managed.Count;
        if (_batchOrders.Length < count)
        {
            int size = Math.Max(count, _batchOrders.Length * 2);
            _batchOrders = new Order[size];
            _batchFills = new Fill[size];
        }

        Span<HeldOrder> held = _held.Span;
        for (int i = 0; i < held.Length; i++)
        {
            Order order = held[i].Order;
            _batchOrders[i] = WithKey(order, PriorityKey(order.Id, randomness));
        }

        Span<ManagedOrder> managed = _managed.Span;
        for (int i = 0; i < managed.Length; i++)
        {
            ManagedOrder order = managed[i];
            _batchOrders[held.Length + i] = WithKey(order.Order, ManagedOrder.PriorityKey(order.Instruction, order.ReleaseSequence, randomness));
        }

        return count;
    }

    /// <summary>Lets the hook cut the gathered batch down; the admitted orders go, in batch order, into the clearing buffer.</summary>
    private int Admit(long block, int count)
    {
        if (_admitted.Length < count)
        {
            int size = Math.Max(count, _admitted.Length * 2);
            _admitted = new long[size];
            _clearOrders = new Order[size];
            _clearFills = new Fill[size];
        }

        Span<long> admitted = _admitted.AsSpan(0, count);
        for (int i = 0; i < count; i++)
        {
            admitted[i] = _batchOrders[i].Quantity;
        }

        _hook!.AdmitBatch(block, _batchOrders.AsSpan(0, count), admitted);
        int cleared = 0;
        for (int i = 0; i < count; i++)
        {
            Order order = _batchOrders[i];
            long quantity = Math.Clamp(admitted[i], 0, order.Quantity);
            admitted[i] = quantity;
            if (quantity > 0)
            {
                _clearOrders[cleared++] = quantity == order.Quantity
                    ? order
                    : new Order(order.Id, order.Trader, order.Side, order.Type, order.LimitPrice, quantity, order.PriorityKey);
            }
        }

        return cleared;
    }

    /// <summary>Gives every gathered order its fill: an order the hook kept out is unfilled.</summary>
    private void SpreadFills(int count, Span<Fill> fills)
    {
        int cleared = 0;
        for (int i = 0; i < count; i++)
        {
            fills[i] = _admitted[i] > 0 ? _clearFills[cleared++] : default;
        }
    }

    private static Order WithKey(in Order order, ulong key) =>
        new(order.Id, order.Trader, order.Side, order.Type, order.LimitPrice, order.Quantity, key);

    private CircuitBand FailedBand(long block, long price, bool extended)
    {
        if (_breaker.StaticBandBps > 0 && _hasOracle && _oracle.PublishedBlock <= block
            && block - _oracle.PublishedBlock <= _manager.Settings.MaxOracleAgeBlocks
            && !CircuitBreakerSettings.IsInside(price, _oracle.Price, _breaker.StaticBandBps))
        {
            return CircuitBand.Static;
        }

        // An extended batch inside the static band clears even outside the dynamic one: the pause has done its job.
        if (!extended && _breaker.DynamicBandBps > 0 && _hasLastPrice
            && !CircuitBreakerSettings.IsInside(price, _lastPrice, _breaker.DynamicBandBps))
        {
            return CircuitBand.Dynamic;
        }

        return CircuitBand.None;
    }

    /// <summary>Hands each order's outcome to its owner: host and sources (as events and callbacks), then the manager.</summary>
    private void Deliver(long block, ReadOnlySpan<Fill> fills, long? price)
    {
        Span<HeldOrder> held = _held.Span;
        for (int i = 0; i < held.Length; i++)
        {
            if (fills[i].IsRejected)
            {
                _events.Add(new VenueEvent
                {
                    Kind = VenueEventKind.OrderRejected, Block = block, Batch = held[i].Batch, Source = held[i].Source,
                    OrderId = held[i].Order.Id, Rejection = fills[i].Rejection,
                });
            }
        }

        for (int i = 0; i < held.Length; i++)
        {
            if (!fills[i].IsRejected && fills[i].FilledQuantity > 0)
            {
                _events.Add(new VenueEvent
                {
                    Kind = VenueEventKind.Fill, Block = block, Batch = held[i].Batch, Source = held[i].Source,
                    OrderId = held[i].Order.Id, Price = price ?? 0, Quantity = fills[i].FilledQuantity,
                });
            }
        }

        for (int i = 0; i < held.Length; i++)
        {
            if (held[i].Source != HostSource)
            {
                _sources[held[i].Source].OnOrderDone(block, held[i].Batch, _batchOrders[i], fills[i], price);
            }
        }

        // The manager learns batch by batch, each batch's orders matched to their fills afresh by instruction and release,
        // so that an order an earlier batch's fills withdrew is skipped rather than misaligning the rest. (No instruction
        // type withdraws another batch's order on a fill today: an OCO has at most one limit leg and a trigger withdraws
        // its sibling before the batch clears; a bracket withdraws an exit only once its position is closed.)
        ReadOnlySpan<ManagedOrder> cleared = _managed.Span;
        ReadOnlySpan<Fill> managedFills = fills[held.Length..];
        int cursor = 0;
        foreach (long batch in _managerBatches.Span)
        {
            ReadOnlySpan<ManagedOrder> current = _manager.ReleasedOrders(batch);
            _managerFills.Clear();
            foreach (ManagedOrder order in current)
            {
                while (cleared[cursor].Instruction != order.Instruction || cleared[cursor].ReleaseSequence != order.ReleaseSequence)
                {
                    cursor++;
                }

                _managerFills.Add(managedFills[cursor]);
                cursor++;
            }

            _manager.ApplyFills(block, batch, _managerFills.Span, price);
            CollectManagerEvents();
        }
    }

    /// <summary>A host's or source's order waiting for its batch to clear.</summary>
    [StructLayout(LayoutKind.Auto)]
    internal readonly record struct HeldOrder(Order Order, int Source, long Batch)
    {
        public static readonly Comparison<HeldOrder> Compare = static (x, y) =>
        {
            int byBatch = x.Batch.CompareTo(y.Batch);
            if (byBatch != 0)
            {
                return byBatch;
            }

            int bySource = x.Source.CompareTo(y.Source);
            return bySource != 0 ? bySource : x.Order.Id.CompareTo(y.Order.Id);
        };
    }
}
