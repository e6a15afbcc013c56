using AuctionEngine.Clearing;
using AuctionEngine.Management.Internal;

namespace AuctionEngine.Management;

public sealed partial class OrderManager
{
    private readonly ValueList<int> _touched = new(64);

    /// <summary>
    /// Step 3 of block <paramref name="block"/>: the outcome of <paramref name="batch"/>, which cleared (or cleared with no
    /// cross) in this block. Every order of the batch is then done; instructions with quantity left release again.
    /// </summary>
    /// <param name="block">The block the batch cleared in.</param>
    /// <param name="batch">The batch; its orders are <see cref="ReleasedOrders"/>(<paramref name="batch"/>).</param>
    /// <param name="fills">One fill per order of <see cref="ReleasedOrders"/>(<paramref name="batch"/>), index-aligned; a rejected order counts as unfilled.</param>
    /// <param name="clearingPrice">The batch's uniform price, reported in the fill events; null when it did not clear.</param>
    /// <remarks>
    /// Events: <see cref="ManagementEventKind.Fill"/> for each order that traded, in the batch's order; then, in ascending
    /// instruction id, what the fills decide: an OCO's other leg <see cref="ManagementEventKind.Cancelled"/> after a first
    /// fill, a bracket's remaining exit <see cref="ManagementEventKind.Cancelled"/> when its position is closed and its entry
    /// can no longer fill, and <see cref="ManagementEventKind.Completed"/>. A bracket's exits are armed, and re-sized, for
    /// what its entry has filled less what they have closed. A partial close never cancels the other exit. Delta hedges
    /// and quotes never complete: their orders are simply done, and the next evaluation decides afresh.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is not after the last evaluated block.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="fills"/> does not have one entry per order of the batch, or a fill is negative or larger than its order;
    /// the manager is then unchanged.
    /// </exception>
    public void ApplyFills(long block, long batch, ReadOnlySpan<Fill> fills, long? clearingPrice)
    {
        CheckOpenBlock(block);
        (int start, int count) = PendingRun(batch);
        if (fills.Length != count)
        {
            ThrowHelper.ThrowArgumentException_FillsForBatch(fills.Length, count, batch, nameof(fills));
        }

        for (int i = 0; i < count; i++)
        {
            long quantity = _pending[start + i].Order.Quantity;
            if (!fills[i].IsRejected && (ulong)fills[i].FilledQuantity > (ulong)quantity)
            {
                ThrowHelper.ThrowArgumentException_FillExceedsOrder(fills[i].FilledQuantity, quantity, nameof(fills));
            }
        }

        _touched.Clear();
        for (int i = 0; i < count; i++)
        {
            ManagedOrder order = _pending[start + i];
            int legIndex = _pendingLegs[start + i];
            ref LegRecord leg = ref _legs[legIndex];
            long filled = fills[i].IsRejected ? 0 : fills[i].FilledQuantity;

            leg.Filled += filled;
            leg.PendingQuantity = 0;
            if (filled > 0)
            {
                Emit(new ManagementEvent
                {
                    Kind = ManagementEventKind.Fill, Block = block, Instruction = order.Instruction, Role = order.Role, OrderId = order.Order.Id,
                    Side = order.Order.Side, Price = clearingPrice ?? 0, Quantity = filled, Batch = batch,
                });
            }

            if (_touched.Count == 0 || _touched[_touched.Count - 1] != leg.Instruction)
            {
                _touched.Add(leg.Instruction);
            }
        }

        RemovePendingRun(start, count);

        foreach (int slot in _touched.Span)
        {
            ref InstructionRecord record = ref _instructions[slot];
            if (!record.Live)
            {
                continue;
            }

            switch (record.Kind)
            {
                case InstructionKind.Oco:
                    SettleOco(slot, block);
                    break;
                case InstructionKind.Bracket:
                    SettleBracket(slot, block);
                    break;
                case InstructionKind.DeltaHedge or InstructionKind.Quote:
                    break; // standing: each evaluation sizes the next release, and only expiry or cancellation ends it
                case InstructionKind.Twap:
                {
                    ref LegRecord leg = ref _legs[record.Leg0];
                    if (leg.Filled == leg.Quantity || (record.LastPartDue && leg.PendingQuantity == 0))
                    {
                        Complete(slot, block);
                    }

                    break;
                }

                default:
                {
                    ref LegRecord leg = ref _legs[record.Leg0];
                    if (leg.Filled == leg.Quantity)
                    {
                        Complete(slot, block);
                    }

                    break;
                }
            }
        }

        CompactPending();
    }

    private void SettleOco(int slot, long block)
    {
        ref InstructionRecord record = ref _instructions[slot];
        for (int i = 0; i < 2; i++)
        {
            int leg = record.LegAt(i);
            if (_legs[leg].Filled > 0)
            {
                CancelSibling(record, leg, block);
                if (_legs[leg].Filled == _legs[leg].Quantity)
                {
                    Complete(slot, block);
                }

                return;
            }
        }
    }

    private void SettleBracket(int slot, long block)
    {
        ref InstructionRecord record = ref _instructions[slot];
        ref LegRecord entry = ref _legs[record.Leg0];
        if (!record.EntryDone && entry.Filled == entry.Quantity)
        {
            EndLeg(record.Leg0, block);
            record.EntryDone = true;
            _expiries.Remove(slot);
        }

        long position = ProtectedQuantity(record);
        if (position == 0 && record.EntryDone)
        {
            for (int i = 1; i < 3; i++)
            {
                int exit = record.LegAt(i);
                // An exit that closed part of the position ends with the bracket; one that closed nothing is cancelled.
                if (_legs[exit].State != LegState.Done && _legs[exit].Filled == 0)
                {
                    EndLeg(exit, block);
                    Emit(new ManagementEvent { Kind = ManagementEventKind.Cancelled, Block = block, Instruction = record.Id, Role = _legs[exit].Role, Cause = CancelCause.PositionClosed });
                }
            }

            Complete(slot, block);
            return;
        }

        // Exits watch their triggers only while there is a position to protect; a triggered exit stays triggered.
        for (int i = 1; i < 3; i++)
        {
            int exit = record.LegAt(i);
            LegState state = _legs[exit].State;
            if (position > 0 && state == LegState.Idle)
            {
                Watch(exit);
            }
            else if (position == 0 && state == LegState.Watching)
            {
                Unindex(exit);
                _legs[exit].State = LegState.Idle;
            }
        }
    }
}
