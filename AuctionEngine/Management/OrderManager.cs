using AuctionEngine.Clearing.Internal;
using AuctionEngine.Crypto;
using AuctionEngine.Management.Internal;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Management;

/// <summary>
/// Carries out standing instructions (stops, trailing stops, limits and icebergs, TWAPs, OCOs, brackets, delta hedges,
/// quotes) block after block, releasing their orders into the next batch. Pure and deterministic: the host gives it the block, the oracle
/// and the fills; it never reads a clock, an oracle or the network.
/// </summary>
/// <remarks>
/// <para>
/// The manager does not own the batch. For block N the venue calls, in this order:
/// </para>
/// <list type="number">
/// <item><description><see cref="Submit"/>: block N's cancellations, then new instructions, each in ascending id.</description></item>
/// <item><description><see cref="ReleasedOrders"/>(N): the orders released in block N − 1, which the venue clears in batch N with everything else.</description></item>
/// <item><description><see cref="ApplyFills"/>(N, N, …): their fills, which update remaining quantities, completions, OCO and bracket siblings.
/// A batch the venue does not clear (a circuit breaker's interruption) simply keeps its orders pending until its fills are applied;
/// their instructions release nothing new meanwhile.</description></item>
/// <item><description>A venue with positions or options states them here (<see cref="UpdatePosition"/>, <see cref="UpdateExposure"/>),
/// and closes a market that has ended, an option series at its expiry, for good (<see cref="Close"/>).</description></item>
/// <item><description><see cref="Evaluate"/>(N, observation): expiries, activations, trailing extremes, triggers, TWAP parts, hedges and quotes, then the releases for batch N + 1.</description></item>
/// </list>
/// <para>
/// <see cref="ProcessBlock"/> does all four with a <see cref="Clearing.ClearingEngine"/> for a host with no circuit breaker.
/// Every step appends its events to <see cref="Events"/> in a documented, deterministic order (see
/// <see cref="ManagementEventKind"/>): step by step, and within a step in ascending instruction id, then leg. The order
/// in which instructions arrive within a block never matters.
/// </para>
/// <para>
/// Once warm (its buffers grown to the largest block seen), a block without submissions allocates nothing. Checking
/// signatures allocates inside BouncyCastle's recovery. An instance is not thread-safe.
/// </para>
/// </remarks>
public sealed partial class OrderManager
{
    private const int BasisPoints = 10_000;

    private readonly OrderManagerSettings _settings;
    private readonly Eip712Domain _domain;
    private readonly Keccak256 _keccak = new();

    private readonly InstructionRecord[] _instructions;
    private readonly ValueList<int> _freeInstructions;
    private readonly Dictionary<Hash32, int> _ids; // id -> live slot, or -1 once finished (an id is accepted once, ever)
    private readonly PriorityQueue<Hash32, long> _finishedByExpiry = new(); // finished ids with an expiry, forgotten once it has passed
    private int _liveCount;

    private LegRecord[] _legs;
    private readonly ValueList<int> _freeLegs;
    private int _legsUsed;

    private readonly Dictionary<Address, int> _traderSlots = [];
    private readonly ValueList<TraderCounters> _traders = new(16);

    // Indexes, rebuilt from the records on restore.
    // Stops, tagged with their id prefix, and trailing stops waiting for their activation price, kept apart so that a
    // block's triggered stops are told from activations, and sorted, without reading their scattered records.
    private readonly TriggerIndex _fallingTriggers; // stops triggering at oracle <= price, keyed by -price
    private readonly TriggerIndex _risingTriggers;  // stops triggering at oracle >= price, keyed by price
    private readonly TriggerIndex _fallingActivations;
    private readonly TriggerIndex _risingActivations;
    private readonly TrailingSet _fallingTrailing; // sells, trailing the highest oracle
    private readonly TrailingSet _risingTrailing;  // buys, trailing the lowest oracle
    private readonly IndexedSet _awaitingObservation;
    private readonly IndexedSet _releasing;
    private readonly IndexedHeap _expiries;        // instruction slots by expiry block
    private readonly IndexedHeap _twapDue;         // instruction slots by their next part's block
    private readonly IndexedSet _exposureLegs;     // delta hedges' and quotes' legs
    private readonly IndexedSet _exposureInstructions; // live delta hedges' and quotes' slots, whatever their legs' state

    // Delta hedges' and quotes' own terms, by InstructionRecord.Terms; grown on demand so that managers without them pay nothing.
    private ExposureTerms[] _terms = [];
    private readonly ValueList<int> _freeTerms = new(4);
    private int _termsUsed;

    private readonly ValueList<ManagedOrder> _pending = new(64);
    private readonly ValueList<int> _pendingLegs = new(64); // index-aligned with _pending; Withdrawn marks a withdrawn order until compaction
    private int[] _pendingPosition;                          // by leg: its order's index in _pending + 1; 0 when it has none
    private int _withdrawnPending;

    private readonly ValueList<ManagementEvent> _events = new(64);

    // Per-block scratch.
    private readonly ValueList<int> _scratch = new(64);
    private readonly ValueList<int> _triggered = new(64);
    private readonly ValueList<int> _activated = new(64);
    private readonly ValueList<KeyedValue> _newlyReleasing = new(64); // (id prefix, leg) of the stops triggered in this block
    private readonly ValueList<int> _candidates = new(64);
    private readonly ValueList<KeyedValue> _sortRecords = new(64);
    private readonly ValueList<KeyedValue> _sortScratch = new(64);
    private readonly ValueList<int> _twapFinishing = new(16);

    private long _lastEvaluatedBlock = long.MinValue;
    private bool _hasOracle;
    private OracleObservation _oracle;

    /// <summary>Creates an empty manager.</summary>
    /// <param name="settings">The market, capacity and rate limits.</param>
    /// <param name="domain">The EIP-712 domain instructions and cancellations are signed in (the one orders use).</param>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> or <paramref name="domain"/> is null.</exception>
    public OrderManager(OrderManagerSettings settings, Eip712Domain domain)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(domain);
        _settings = settings;
        _domain = domain;
        int capacity = settings.MaxInstructions;
        _instructions = new InstructionRecord[capacity];
        _freeInstructions = new ValueList<int>(capacity);
        for (int i = capacity - 1; i >= 0; i--)
        {
            _freeInstructions.Add(i);
        }

        _ids = new Dictionary<Hash32, int>(capacity);
        _legs = new LegRecord[capacity];
        _pendingPosition = new int[capacity];
        _freeLegs = new ValueList<int>(16);
        _fallingTriggers = new TriggerIndex(capacity);
        _risingTriggers = new TriggerIndex(capacity);
        _fallingActivations = new TriggerIndex(capacity);
        _risingActivations = new TriggerIndex(capacity);
        _fallingTrailing = new TrailingSet(rising: false, capacity);
        _risingTrailing = new TrailingSet(rising: true, capacity);
        _awaitingObservation = new IndexedSet(capacity);
        _releasing = new IndexedSet(capacity);
        _expiries = new IndexedHeap(capacity);
        _twapDue = new IndexedHeap(capacity);
        _exposureLegs = new IndexedSet(capacity);
        _exposureInstructions = new IndexedSet(capacity);
    }

    /// <summary>The market, capacity and rate limits.</summary>
    public OrderManagerSettings Settings => _settings;

    /// <summary>The EIP-712 domain instructions are signed in.</summary>
    public Eip712Domain Domain => _domain;

    /// <summary>How many instructions are live.</summary>
    public int LiveInstructions => _liveCount;

    /// <summary>The last block <see cref="Evaluate"/> ran for, or <see cref="long.MinValue"/> before the first.</summary>
    public long LastEvaluatedBlock => _lastEvaluatedBlock;

    /// <summary>The events appended since the last <see cref="ClearEvents"/>; valid until the next call that changes the manager.</summary>
    public ReadOnlySpan<ManagementEvent> Events => _events.Span;

    /// <summary>Every order released and not yet cleared, batch by batch (ascending), each batch's in release order.</summary>
    public ReadOnlySpan<ManagedOrder> PendingOrders => _pending.Span;

    /// <summary>Empties <see cref="Events"/>, keeping its buffer.</summary>
    public void ClearEvents() => _events.Clear();

    /// <summary>Whether the manager holds a live instruction with this id.</summary>
    /// <param name="instruction">The instruction's id.</param>
    /// <returns><see langword="true"/> while the instruction is live.</returns>
    public bool IsLive(Hash32 instruction) => _ids.TryGetValue(instruction, out int slot) && slot >= 0;

    /// <summary>The orders released for <paramref name="batch"/> that it has not cleared yet, in release order (ascending instruction id, then leg).</summary>
    /// <param name="batch">The batch (the block it clears in).</param>
    /// <returns>The orders; empty when there are none. Valid until the next call that changes the manager.</returns>
    public ReadOnlySpan<ManagedOrder> ReleasedOrders(long batch)
    {
        (int start, int count) = PendingRun(batch);
        return _pending.Span.Slice(start, count);
    }

    private (int Start, int Count) PendingRun(long batch)
    {
        Span<ManagedOrder> pending = _pending.Span;
        int start = 0;
        while (start < pending.Length && pending[start].Batch != batch)
        {
            start++;
        }

        int end = start;
        while (end < pending.Length && pending[end].Batch == batch)
        {
            end++;
        }

        return (start, end - start);
    }

    private void CheckOpenBlock(long block)
    {
        if (block <= _lastEvaluatedBlock)
        {
            ThrowHelper.ThrowArgumentOutOfRange_BlockAlreadyEvaluated(block, _lastEvaluatedBlock);
        }
    }

    private void Emit(ManagementEvent e) => _events.Add(e);

    private ref LegRecord Leg(int leg) => ref _legs[leg];

    private int AllocateLeg()
    {
        if (_freeLegs.Count > 0)
        {
            int reused = _freeLegs[_freeLegs.Count - 1];
            _freeLegs.RemoveAt(_freeLegs.Count - 1);
            return reused;
        }

        if (_legsUsed == _legs.Length)
        {
            GrowLegs(_legs.Length * 2);
        }

        return _legsUsed++;
    }

    private void GrowLegs(int capacity)
    {
        Array.Resize(ref _legs, capacity);
        Array.Resize(ref _pendingPosition, capacity);
        _fallingTriggers.Grow(capacity);
        _risingTriggers.Grow(capacity);
        _fallingActivations.Grow(capacity);
        _risingActivations.Grow(capacity);
        _fallingTrailing.Grow(capacity);
        _risingTrailing.Grow(capacity);
        _awaitingObservation.Grow(capacity);
        _releasing.Grow(capacity);
        _exposureLegs.Grow(capacity);
    }

    private int TraderSlot(Address trader)
    {
        if (!_traderSlots.TryGetValue(trader, out int slot))
        {
            slot = _traders.Count;
            _traderSlots.Add(trader, slot);
            _traders.Add(new TraderCounters { Batch = long.MinValue });
        }

        return slot;
    }

    /// <summary>Takes a leg out of whichever index its state says holds it.</summary>
    private void Unindex(int leg)
    {
        ref LegRecord record = ref _legs[leg];
        switch (record.State)
        {
            case LegState.Watching when record.TriggersFalling:
                (record.Type == LegType.Stop ? _fallingTriggers : _fallingActivations).Remove(leg, -record.Price);
                break;
            case LegState.Watching:
                (record.Type == LegType.Stop ? _risingTriggers : _risingActivations).Remove(leg, record.Price);
                break;
            case LegState.AwaitingObservation:
                _awaitingObservation.Remove(leg);
                break;
            case LegState.Tracking:
                (record.Side == Side.Buy ? _risingTrailing : _fallingTrailing).Remove(leg);
                break;
            case LegState.Releasing:
                _releasing.Remove(leg);
                break;
            case LegState.FollowingExposure:
                _exposureLegs.Remove(leg);
                break;
        }
    }

    private void Watch(int leg)
    {
        ref LegRecord record = ref _legs[leg];
        record.State = LegState.Watching;
        bool stop = record.Type == LegType.Stop;
        if (record.TriggersFalling)
        {
            (stop ? _fallingTriggers : _fallingActivations).Insert(leg, -record.Price, record.IdPrefix);
        }
        else
        {
            (stop ? _risingTriggers : _risingActivations).Insert(leg, record.Price, record.IdPrefix);
        }
    }

    private void Track(int leg, long extreme)
    {
        ref LegRecord record = ref _legs[leg];
        record.State = LegState.Tracking;
        (record.Side == Side.Buy ? _risingTrailing : _fallingTrailing).Add(leg, extreme, record.TrailingBps);
    }

    private void FollowExposure(int leg)
    {
        _legs[leg].State = LegState.FollowingExposure;
        _exposureLegs.Add(leg);
    }

    private int AllocateTerms()
    {
        if (_freeTerms.Count > 0)
        {
            int reused = _freeTerms[_freeTerms.Count - 1];
            _freeTerms.RemoveAt(_freeTerms.Count - 1);
            return reused;
        }

        if (_termsUsed == _terms.Length)
        {
            Array.Resize(ref _terms, Math.Max(4, _terms.Length * 2));
        }

        return _termsUsed++;
    }

    private void StartReleasing(int leg)
    {
        _legs[leg].State = LegState.Releasing;
        _releasing.Add(leg);
    }

    /// <summary>Ends a leg: out of its index, its pending order withdrawn from its uncleared batch.</summary>
    private void EndLeg(int leg, long block)
    {
        Unindex(leg);
        ref LegRecord record = ref _legs[leg];
        record.State = LegState.Done;
        if (record.PendingQuantity != 0)
        {
            Withdraw(leg, block);
        }
    }

    /// <summary>
    /// Takes a leg's order out of its uncleared batch. The order is only marked here, and the step that withdrew it
    /// compacts the pending list once before it next reads it (<see cref="CompactPending"/>): cancelling n instructions
    /// with pending orders costs O(n + pending) rather than a search and a shift per order.
    /// </summary>
    private void Withdraw(int leg, long block)
    {
        int index = _pendingPosition[leg] - 1;
        if (index >= 0)
        {
            ManagedOrder order = _pending[index];
            Emit(new ManagementEvent
            {
                Kind = ManagementEventKind.Withdrawn, Block = block, Instruction = order.Instruction, Role = order.Role,
                OrderId = order.Order.Id, Quantity = order.Order.Quantity, Batch = order.Batch,
            });
            _pendingLegs[index] = WithdrawnOrder;
            _pendingPosition[leg] = 0;
            _withdrawnPending++;
        }

        _legs[leg].PendingQuantity = 0;
    }

    private const int WithdrawnOrder = -1;

    private void AddPending(in ManagedOrder order, int leg)
    {
        _pending.Add(order);
        _pendingLegs.Add(leg);
        _pendingPosition[leg] = _pending.Count;
    }

    /// <summary>Drops the withdrawn orders from the pending list, keeping the others' order: one pass.</summary>
    private void CompactPending()
    {
        if (_withdrawnPending == 0)
        {
            return;
        }

        Span<ManagedOrder> orders = _pending.Span;
        Span<int> legs = _pendingLegs.Span;
        int kept = 0;
        for (int i = 0; i < legs.Length; i++)
        {
            int leg = legs[i];
            if (leg == WithdrawnOrder)
            {
                continue;
            }

            orders[kept] = orders[i];
            legs[kept] = leg;
            _pendingPosition[leg] = ++kept;
        }

        _pending.RemoveRange(kept, legs.Length - kept);
        _pendingLegs.RemoveRange(kept, legs.Length - kept);
        _withdrawnPending = 0;
    }

    /// <summary>Removes a cleared batch's orders (<paramref name="count"/> from <paramref name="start"/>), whose legs have already forgotten them.</summary>
    private void RemovePendingRun(int start, int count)
    {
        foreach (int leg in _pendingLegs.Span.Slice(start, count))
        {
            _pendingPosition[leg] = 0;
        }

        _pending.RemoveRange(start, count);
        _pendingLegs.RemoveRange(start, count);
        Span<int> legs = _pendingLegs.Span;
        for (int i = start; i < legs.Length; i++)
        {
            _pendingPosition[legs[i]] = i + 1;
        }
    }

    /// <summary>
    /// Forgets the finished instructions whose expiry block is at most <paramref name="block"/>, the block just evaluated.
    /// Every later submission arrives in a later block, after the expiry, so a replay is refused as
    /// <see cref="InstructionRejectReason.ExpiredOnArrival"/> (checked before the id) whether or not the id is remembered.
    /// </summary>
    private void ForgetExpiredIds(long block)
    {
        while (_finishedByExpiry.TryPeek(out Hash32 id, out long expiry) && expiry <= block)
        {
            _finishedByExpiry.Dequeue();
            _ids.Remove(id);
        }
    }

    /// <summary>Whether the manager still knows this id (live, or finished and not yet forgotten).</summary>
    internal bool RemembersId(Hash32 instruction) => _ids.ContainsKey(instruction);

    /// <summary>Frees a finished instruction: its legs end, its id stays known (until its expiry has passed) so that a replay is refused.</summary>
    private void Finish(int slot, long block)
    {
        ref InstructionRecord record = ref _instructions[slot];
        for (int i = 0; i < record.LegCount; i++)
        {
            int leg = record.LegAt(i);
            EndLeg(leg, block);
            _legs[leg] = default;
            _freeLegs.Add(leg);
        }

        _expiries.Remove(slot);
        _twapDue.Remove(slot);
        if (record.Kind is InstructionKind.DeltaHedge or InstructionKind.Quote)
        {
            _terms[record.Terms] = default;
            _freeTerms.Add(record.Terms);
            _exposureInstructions.Remove(slot);
        }

        _ids[record.Id] = -1;
        if (record.ExpiryBlock != 0)
        {
            _finishedByExpiry.Enqueue(record.Id, record.ExpiryBlock);
        }

        _traders[record.TraderSlot].Live--;
        _liveCount--;
        record = default;
        _freeInstructions.Add(slot);
    }

    /// <summary>
    /// Cancels a whole instruction: each leg's order still waiting in an uncleared batch is withdrawn (a
    /// <see cref="ManagementEventKind.Withdrawn"/> each, in leg order), then one <see cref="ManagementEventKind.Cancelled"/>
    /// with <paramref name="cause"/>, and the instruction is finished. The caller compacts the pending list before it next reads it.
    /// </summary>
    private void CancelWhole(int slot, long block, CancelCause cause)
    {
        ref InstructionRecord record = ref _instructions[slot];
        for (int i = 0; i < record.LegCount; i++)
        {
            EndLeg(record.LegAt(i), block);
        }

        Emit(new ManagementEvent { Kind = ManagementEventKind.Cancelled, Block = block, Instruction = record.Id, Cause = cause });
        Finish(slot, block);
    }

    private long FilledOf(in InstructionRecord record) =>
        record.Kind == InstructionKind.Bracket ? _legs[record.Leg0].Filled : SumFilled(record);

    private long SumFilled(in InstructionRecord record)
    {
        long filled = 0;
        for (int i = 0; i < record.LegCount; i++)
        {
            filled += _legs[record.LegAt(i)].Filled;
        }

        return filled;
    }

    private void Complete(int slot, long block)
    {
        ref InstructionRecord record = ref _instructions[slot];
        Emit(new ManagementEvent { Kind = ManagementEventKind.Completed, Block = block, Instruction = record.Id, Quantity = FilledOf(record) });
        Finish(slot, block);
    }

    /// <summary>Sorts leg slots by their instruction's id, then role: the order every step emits its events in.</summary>
    private void SortLegs(Span<int> legs)
    {
        if (legs.Length < 2)
        {
            return;
        }

        _sortRecords.Clear();
        foreach (int leg in legs)
        {
            _sortRecords.Add(new KeyedValue(_legs[leg].IdPrefix, leg));
        }

        SortRecordedLegs(legs);
    }

    /// <summary>Sorts leg slots as <see cref="SortLegs"/> does, their id prefixes already in <c>_sortRecords</c>, index-aligned.</summary>
    /// <returns>The id prefixes, index-aligned with the sorted legs.</returns>
    private ReadOnlySpan<KeyedValue> SortRecordedLegs(Span<int> legs)
    {
        Span<KeyedValue> sorted = _sortRecords.Span;
        if (legs.Length < 2)
        {
            return sorted;
        }

        bool ascending = true;
        for (int i = 1; i < sorted.Length; i++)
        {
            ascending &= sorted[i].Key >= sorted[i - 1].Key;
        }

        if (!ascending)
        {
            _sortScratch.EnsureCount(legs.Length);
            sorted = RadixSort.Sort(sorted, _sortScratch.Span);
            for (int i = 0; i < legs.Length; i++)
            {
                legs[i] = (int)sorted[i].Value;
            }
        }

        // Equal prefixes (the legs of one instruction, or the rarest collision) are ordered by the whole id, then role.
        for (int start = 0; start < legs.Length;)
        {
            int end = start + 1;
            while (end < legs.Length && sorted[end].Key == sorted[start].Key)
            {
                end++;
            }

            if (end - start > 1)
            {
                InsertionSortLegs(legs.Slice(start, end - start));
            }

            start = end;
        }

        return sorted;
    }

    private void InsertionSortLegs(Span<int> legs)
    {
        for (int i = 1; i < legs.Length; i++)
        {
            int leg = legs[i];
            int j = i - 1;
            while (j >= 0 && CompareLegs(legs[j], leg) > 0)
            {
                legs[j + 1] = legs[j];
                j--;
            }

            legs[j + 1] = leg;
        }
    }

    private int CompareLegs(int a, int b)
    {
        int byId = _instructions[_legs[a].Instruction].Id.CompareTo(_instructions[_legs[b].Instruction].Id);
        return byId != 0 ? byId : ((int)_legs[a].Role).CompareTo((int)_legs[b].Role);
    }

    /// <summary>Sorts instruction slots by id.</summary>
    private void SortInstructions(Span<int> slots)
    {
        if (slots.Length < 2)
        {
            return;
        }

        _sortRecords.Clear();
        foreach (int slot in slots)
        {
            _sortRecords.Add(new KeyedValue(_instructions[slot].Id.Prefix, slot));
        }

        _sortScratch.EnsureCount(slots.Length);
        Span<KeyedValue> sorted = RadixSort.Sort(_sortRecords.Span, _sortScratch.Span);
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = (int)sorted[i].Value;
        }

        for (int i = 1; i < slots.Length; i++)
        {
            int slot = slots[i];
            int j = i - 1;
            while (j >= 0 && _instructions[slots[j]].Id.CompareTo(_instructions[slot].Id) > 0)
            {
                slots[j + 1] = slots[j];
                j--;
            }

            slots[j + 1] = slot;
        }
    }

    private struct TraderCounters
    {
        public int Live;
        public long Batch;
        public int Released;

        /// <summary>Whether a venue stated the trader's position (<see cref="UpdatePosition"/>): its protective legs are then reduce-only.</summary>
        public bool HasPosition;
        public long Position;

        /// <summary>Whether a venue stated the trader's delta and vega (<see cref="UpdateExposure"/>): its hedges and quotes need them.</summary>
        public bool HasExposure;
        public long Delta;
        public long Vega;
    }
}
