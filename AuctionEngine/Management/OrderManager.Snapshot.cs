using System.Buffers;
using System.Buffers.Binary;
using AuctionEngine.Management.Internal;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Management;

public sealed partial class OrderManager
{
    /// <summary>What the snapshot is of, in its error messages.</summary>
    internal const string SnapshotKind = "an order manager";

    /// <summary>The snapshot format's version, written after the magic bytes <c>AEOM</c>.</summary>
    public const int SnapshotVersion = 1;

    private const uint SnapshotMagic = 0x414F_4D45; // "AEOM" little-endian

    /// <summary>
    /// Writes everything that persists between blocks: a keeper that restarts from it with <see cref="Restore"/> gives
    /// exactly the same later events as one that never stopped.
    /// </summary>
    /// <param name="destination">Receives the snapshot.</param>
    /// <remarks>
    /// <para>
    /// Version 1, little-endian: the magic <c>AEOM</c>, the version (<c>u16</c>); the last evaluated block and the last
    /// oracle observation; whether the market is closed (<see cref="Close"/>); the ids of finished instructions with their expiry block, 0 for none (so that replays stay
    /// refused, and an id is forgotten once its expiry has passed exactly as it would have been); each live instruction in
    /// ascending id (its kind, reduce-only flag and lifetime; a delta hedge's or quote's terms) with its legs and their state (fills, fixed limits,
    /// trailing extremes, pending quantities, TWAP progress); the released orders not yet cleared, in batch order; and the
    /// positions the host has stated (<see cref="UpdatePosition"/>; count, then address and signed lots, ascending
    /// address). The indexes (trigger runs, trailing arrays) are not written: <see cref="Restore"/> rebuilds them. The same
    /// state always gives the same bytes.
    /// </para>
    /// <para>
    /// Take it between blocks (after <see cref="Evaluate"/>); <see cref="Events"/> are not part of it. Positions are, because
    /// they are the ones stated, not whatever the margin engine holds now: whether a known position was open decides what
    /// the next statement ends, and a quote at its maximum position withholds a side. Exposures
    /// (<see cref="UpdateExposure"/>) are not: a host states them again before every evaluation.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    public void WriteSnapshot(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = new StreamingSnapshotWriter(destination);
        writer.UInt32(SnapshotMagic);
        writer.UInt16(SnapshotVersion);
        writer.Int64(_lastEvaluatedBlock);
        writer.Byte(_hasOracle ? (byte)1 : (byte)0);
        writer.Int64(_oracle.Price);
        writer.Int64(_oracle.PublishedBlock);
        writer.Byte(_closed ? (byte)1 : (byte)0);

        var expiries = new Dictionary<Hash32, long>(_finishedByExpiry.Count);
        foreach ((Hash32 id, long expiry) in _finishedByExpiry.UnorderedItems)
        {
            expiries[id] = expiry;
        }

        var finished = new List<(Hash32 Id, long Expiry)>();
        var live = new List<int>(_liveCount);
        foreach (KeyValuePair<Hash32, int> id in _ids)
        {
            if (id.Value < 0)
            {
                finished.Add((id.Key, expiries.GetValueOrDefault(id.Key)));
            }
            else
            {
                live.Add(id.Value);
            }
        }

        finished.Sort((a, b) => a.Id.CompareTo(b.Id));
        writer.Int32(finished.Count);
        foreach ((Hash32 id, long expiry) in finished)
        {
            writer.Hash(id);
            writer.Int64(expiry);
        }

        live.Sort((a, b) => _instructions[a].Id.CompareTo(_instructions[b].Id));
        writer.Int32(live.Count);
        foreach (int slot in live)
        {
            WriteInstruction(ref writer, _instructions[slot]);
        }

        writer.Int32(_pending.Count);
        foreach (ManagedOrder order in _pending.Span)
        {
            writer.Hash(order.Instruction);
            writer.Byte((byte)order.Role);
            writer.UInt64(order.Order.Id);
            writer.UInt64(order.Order.PriorityKey);
            writer.Byte((byte)order.Order.Side);
            writer.Int64(order.Order.LimitPrice);
            writer.Int64(order.Order.Quantity);
            writer.Int64(order.ReleaseSequence);
            writer.Int64(order.Batch);
        }

        var positions = new List<(Address Trader, long Lots)>();
        foreach ((Address trader, int slot) in _traderSlots)
        {
            if (_traders[slot].HasPosition)
            {
                positions.Add((trader, _traders[slot].Position));
            }
        }

        positions.Sort((a, b) => a.Trader.CompareTo(b.Trader));
        writer.Int32(positions.Count);
        Span<byte> address = stackalloc byte[Address.Length];
        foreach ((Address trader, long lots) in positions)
        {
            trader.WriteTo(address);
            writer.Bytes(address);
            writer.Int64(lots);
        }
    }

    private void WriteInstruction(ref StreamingSnapshotWriter writer, in InstructionRecord record)
    {
        writer.Hash(record.Id);
        Span<byte> trader = stackalloc byte[Address.Length];
        record.Trader.WriteTo(trader);
        writer.Bytes(trader);
        writer.Byte((byte)record.Kind);
        writer.Byte(record.ReduceOnly ? (byte)1 : (byte)0);
        writer.Int64(record.ExpiryBlock);
        writer.Int64(record.NextSequence);
        writer.Int64(record.TwapStart);
        writer.Int32(record.Parts);
        writer.Int32(record.BlocksPerPart);
        writer.Int32(record.NextPart);
        writer.Int32(record.ToleranceBps);
        writer.Int64(record.TwapLimit);
        writer.Byte(record.LastPartDue ? (byte)1 : (byte)0);
        writer.Byte(record.EntryDone ? (byte)1 : (byte)0);
        if (record.Kind is InstructionKind.DeltaHedge or InstructionKind.Quote)
        {
            ref ExposureTerms terms = ref _terms[record.Terms];
            writer.Int64(terms.TargetDelta);
            writer.Int64(terms.Band);
            writer.Int32(terms.HalfSpreadBps);
            writer.Int64(terms.MinHalfSpread);
            writer.Int32(terms.VegaSpreadBps);
            writer.Int64(terms.VegaUnit);
            writer.Int32(terms.DeltaSpreadBps);
            writer.Int64(terms.DeltaUnit);
            writer.Int64(terms.MaxPosition);
        }

        writer.Byte((byte)record.LegCount);
        for (int i = 0; i < record.LegCount; i++)
        {
            int index = record.LegAt(i);
            ref LegRecord leg = ref _legs[index];
            writer.Byte((byte)leg.Role);
            writer.Byte((byte)leg.Type);
            writer.Byte((byte)leg.Side);
            writer.Byte((byte)leg.StopKind);
            writer.Byte((byte)leg.State);
            writer.Byte(leg.TriggersFalling ? (byte)1 : (byte)0);
            writer.Int64(leg.Price);
            writer.Int64(leg.LimitPrice);
            writer.Int32(leg.SlippageBps);
            writer.Int32(leg.TrailingBps);
            writer.Int64(leg.Quantity);
            writer.Int64(leg.Filled);
            writer.Int64(leg.DisplayQuantity);
            writer.Int64(leg.FixedLimit);
            writer.Int64(leg.TriggerBlock);
            writer.Int64(leg.State == LegState.Tracking ? (leg.Side == Side.Buy ? _risingTrailing : _fallingTrailing).ExtremeOf(index) : 0);
            writer.Int64(leg.PendingQuantity);
        }
    }

    /// <summary>Rebuilds a manager from <see cref="WriteSnapshot"/>'s bytes.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="settings">The settings; the snapshot's live instructions must fit in them.</param>
    /// <param name="domain">The EIP-712 domain.</param>
    /// <returns>A manager whose later events are exactly those of the one that wrote the snapshot.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> or <paramref name="domain"/> is null.</exception>
    /// <exception cref="InvalidDataException">
    /// The bytes are not a snapshot of a version this library reads, are cut short, hold more instructions than the
    /// settings allow, hold live instructions in a closed market, or state positions out of ascending address order.
    /// </exception>
    public static OrderManager Restore(ReadOnlySpan<byte> snapshot, OrderManagerSettings settings, Eip712Domain domain)
    {
        var manager = new OrderManager(settings, domain);
        var reader = new SnapshotReader(snapshot, SnapshotKind);
        if (reader.UInt32() != SnapshotMagic)
        {
            ThrowHelper.ThrowInvalidData_Snapshot("the magic bytes are not AEOM.");
        }

        if (reader.UInt16() != SnapshotVersion)
        {
            ThrowHelper.ThrowInvalidData_Snapshot("unknown version.");
        }

        manager._lastEvaluatedBlock = reader.Int64();
        manager._hasOracle = reader.Byte() != 0;
        manager._oracle = new OracleObservation(reader.Int64(), reader.Int64());
        manager._closed = reader.Byte() != 0;
        int finished = reader.Count(Hash32.Length + sizeof(long));
        for (int i = 0; i < finished; i++)
        {
            Hash32 id = reader.Hash();
            long expiry = reader.Int64();
            manager._ids[id] = -1;
            if (expiry != 0)
            {
                manager._finishedByExpiry.Enqueue(id, expiry);
            }
        }

        int live = reader.Count(64);
        if (live > settings.MaxInstructions)
        {
            ThrowHelper.ThrowInvalidData_Snapshot("more live instructions than the settings' capacity.");
        }

        if (live > 0 && manager._closed)
        {
            ThrowHelper.ThrowInvalidData_Snapshot("live instructions in a closed market.");
        }

        for (int i = 0; i < live; i++)
        {
            manager.ReadInstruction(ref reader);
        }

        int pending = reader.Count(64);
        for (int i = 0; i < pending; i++)
        {
            Hash32 instruction = reader.Hash();
            var role = (LegRole)reader.Byte();
            ulong id = reader.UInt64();
            ulong priority = reader.UInt64();
            var side = (Side)reader.Byte();
            long limit = reader.Int64();
            long quantity = reader.Int64();
            long sequence = reader.Int64();
            long batch = reader.Int64();
            if (!manager._ids.TryGetValue(instruction, out int slot) || slot < 0)
            {
                ThrowHelper.ThrowInvalidData_Snapshot("a pending order names no live instruction.");
            }

            ref InstructionRecord record = ref manager._instructions[slot];
            int leg = -1;
            for (int l = 0; l < record.LegCount; l++)
            {
                if (manager._legs[record.LegAt(l)].Role == role)
                {
                    leg = record.LegAt(l);
                }
            }

            if (leg < 0)
            {
                ThrowHelper.ThrowInvalidData_Snapshot("a pending order names no leg of its instruction.");
            }

            manager._pending.Add(new ManagedOrder
            {
                Order = Order.Limit(id, record.Trader, side, limit, quantity, priority), Instruction = instruction, Kind = record.Kind, Role = role,
                ReduceOnly = record.ReduceOnly, ReleaseSequence = sequence, Batch = batch,
            });
            manager._pendingLegs.Add(leg);
            manager._pendingPosition[leg] = manager._pending.Count;
        }

        int positions = reader.Count(Address.Length + sizeof(long));
        Address previous = default;
        for (int i = 0; i < positions; i++)
        {
            Address trader = reader.Address();
            if (i > 0 && trader.CompareTo(previous) <= 0)
            {
                ThrowHelper.ThrowInvalidData_Snapshot("the stated positions are not in ascending address order.");
            }

            previous = trader;
            ref TraderCounters counters = ref manager._traders[manager.TraderSlot(trader)];
            counters.HasPosition = true;
            counters.Position = reader.Int64();
        }

        if (!reader.AtEnd)
        {
            ThrowHelper.ThrowInvalidData_Snapshot("bytes after the end.");
        }

        return manager;
    }

    private void ReadInstruction(ref SnapshotReader reader)
    {
        Hash32 id = reader.Hash();
        var trader = new Address(reader.Bytes(Address.Length));
        int slot = _freeInstructions[_freeInstructions.Count - 1];
        _freeInstructions.RemoveAt(_freeInstructions.Count - 1);
        int traderSlot = TraderSlot(trader);
        _traders[traderSlot].Live++;
        _liveCount++;
        _ids[id] = slot;
        ref InstructionRecord record = ref _instructions[slot];
        record = new InstructionRecord
        {
            Id = id, Trader = trader, TraderSlot = traderSlot, Live = true, Kind = (InstructionKind)reader.Byte(), ReduceOnly = reader.Byte() != 0,
            ExpiryBlock = reader.Int64(),
            NextSequence = reader.Int64(), TwapStart = reader.Int64(), Parts = reader.Int32(),
            BlocksPerPart = reader.Int32(), NextPart = reader.Int32(), ToleranceBps = reader.Int32(), TwapLimit = reader.Int64(),
            LastPartDue = reader.Byte() != 0, EntryDone = reader.Byte() != 0,
        };
        if (record.Kind is InstructionKind.DeltaHedge or InstructionKind.Quote)
        {
            record.Terms = AllocateTerms();
            _exposureInstructions.Add(slot);
            _terms[record.Terms] = new ExposureTerms
            {
                TargetDelta = reader.Int64(), Band = reader.Int64(), HalfSpreadBps = reader.Int32(), MinHalfSpread = reader.Int64(), VegaSpreadBps = reader.Int32(),
                VegaUnit = reader.Int64(), DeltaSpreadBps = reader.Int32(), DeltaUnit = reader.Int64(), MaxPosition = reader.Int64(),
            };
        }

        int legCount = reader.Byte();
        if (legCount is < 1 or > 3 || !Enum.IsDefined(record.Kind))
        {
            ThrowHelper.ThrowInvalidData_Snapshot("an instruction's kind or leg count is out of range.");
        }

        for (int i = 0; i < legCount; i++)
        {
            int index = AllocateLeg();
            _legs[index] = new LegRecord
            {
                Instruction = slot, IdPrefix = id.Prefix, Role = (LegRole)reader.Byte(), Type = (LegType)reader.Byte(), Side = (Side)reader.Byte(), StopKind = (StopKind)reader.Byte(),
                State = (LegState)reader.Byte(), TriggersFalling = reader.Byte() != 0, Price = reader.Int64(), LimitPrice = reader.Int64(),
                SlippageBps = reader.Int32(), TrailingBps = reader.Int32(), Quantity = reader.Int64(), Filled = reader.Int64(),
                DisplayQuantity = reader.Int64(), FixedLimit = reader.Int64(), TriggerBlock = reader.Int64(), Extreme = reader.Int64(),
                PendingQuantity = reader.Int64(),
            };
            switch (i)
            {
                case 0:
                    record.Leg0 = index;
                    break;
                case 1:
                    record.Leg1 = index;
                    break;
                default:
                    record.Leg2 = index;
                    break;
            }

            record.LegCount = i + 1;
            Reindex(index);
        }

        if (record.Kind == InstructionKind.Twap && !record.LastPartDue)
        {
            _twapDue.Insert(slot, record.TwapStart + ((long)record.NextPart * record.BlocksPerPart));
        }

        if (record.ExpiryBlock != 0 && !record.EntryDone)
        {
            _expiries.Insert(slot, record.ExpiryBlock);
        }
    }

    private void Reindex(int leg)
    {
        ref LegRecord record = ref _legs[leg];
        switch (record.State)
        {
            case LegState.Watching:
                Watch(leg);
                break;
            case LegState.AwaitingObservation:
                _awaitingObservation.Add(leg);
                break;
            case LegState.Tracking:
                Track(leg, record.Extreme);
                break;
            case LegState.Releasing:
                _releasing.Add(leg);
                break;
            case LegState.FollowingExposure:
                _exposureLegs.Add(leg);
                break;
            case LegState.Idle or LegState.Scheduled or LegState.Done:
                break;
            default:
                ThrowHelper.ThrowInvalidData_Snapshot("a leg's state is out of range.");
                break;
        }
    }

    /// <summary>
    /// Writes field by field straight into the buffer writer: a manager's snapshot varies in size by kind, leg and state,
    /// so it is not sized up front as the fixed-layout snapshots are (<see cref="SnapshotWriter"/>).
    /// </summary>
    private ref struct StreamingSnapshotWriter(IBufferWriter<byte> destination)
    {
        private readonly IBufferWriter<byte> _destination = destination;

        public readonly void Byte(byte value) => Bytes([value]);

        public readonly void UInt16(int value)
        {
            Span<byte> span = _destination.GetSpan(2);
            BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value);
            _destination.Advance(2);
        }

        public readonly void UInt32(uint value)
        {
            Span<byte> span = _destination.GetSpan(4);
            BinaryPrimitives.WriteUInt32LittleEndian(span, value);
            _destination.Advance(4);
        }

        public readonly void Int32(int value) => UInt32((uint)value);

        public readonly void UInt64(ulong value)
        {
            Span<byte> span = _destination.GetSpan(8);
            BinaryPrimitives.WriteUInt64LittleEndian(span, value);
            _destination.Advance(8);
        }

        public readonly void Int64(long value) => UInt64((ulong)value);

        public readonly void Hash(Hash32 value)
        {
            Span<byte> span = _destination.GetSpan(Hash32.Length);
            value.WriteTo(span);
            _destination.Advance(Hash32.Length);
        }

        public readonly void Bytes(ReadOnlySpan<byte> value)
        {
            value.CopyTo(_destination.GetSpan(value.Length));
            _destination.Advance(value.Length);
        }
    }
}
