using AuctionEngine.Management.Internal;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Management;

public sealed partial class OrderManager
{
    /// <summary>
    /// Tells the manager a trader's position on its market (a perpetual's signed lots: positive long, negative short), so
    /// that the trader's protective instructions reduce that position and never add to it. A venue calls it after the
    /// fills of a block (step 3) and before <see cref="Evaluate"/>, for every trader whose position changed.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Once a trader's position is known, the orders of its protective legs (stops, trailing stops and bracket exits)
    /// are reduce-only: each release is cut to what closes the position on the leg's side (a sell to the long, a buy to
    /// the short) and releases nothing while the position is flat or on the other side. A partial close therefore
    /// resizes the exits to what is left and cancels nothing.
    /// </para>
    /// <para>
    /// When a position goes from non-zero to 0, its protective instructions end in ascending instruction id, each with
    /// <see cref="ManagementEventKind.Cancelled"/> and <see cref="CancelCause.PositionClosed"/> (after a
    /// <see cref="ManagementEventKind.Withdrawn"/> for an order still waiting in an interrupted batch): the trader's
    /// stops and trailing stops, and the exits of its brackets whose entry can no longer fill (the bracket then
    /// completes). A bracket whose entry can still fill keeps its exits, and an OCO keeps its legs (its stop legs release
    /// nothing while the position is flat). Finding them is a pass over the live instructions.
    /// </para>
    /// <para>
    /// The positions stated are part of the snapshot (<see cref="WriteSnapshot"/>): a restored manager knows them as the
    /// original did, so the next statement ends what it would have ended.
    /// </para>
    /// </remarks>
    /// <param name="block">The block being processed; the cancellations' events carry it.</param>
    /// <param name="trader">The trader.</param>
    /// <param name="position">The trader's position in lots, signed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is not after the last evaluated block.</exception>
    public void UpdatePosition(long block, Address trader, long position)
    {
        CheckOpenBlock(block);
        ref TraderCounters counters = ref _traders[TraderSlot(trader)];
        long before = counters.HasPosition ? counters.Position : 0;
        counters.HasPosition = true;
        counters.Position = position;
        if (position == 0 && before != 0)
        {
            CancelProtection(block, trader);
        }
    }

    /// <summary>
    /// Adds the trader of every live delta hedge and quote to <paramref name="traders"/>: whose exposure a venue must
    /// state again every block, since an option's Greeks move with the oracle, the volatility and time, fills or not.
    /// </summary>
    internal void CollectExposureTraders(HashSet<Address> traders)
    {
        foreach (int slot in _exposureInstructions.Items)
        {
            traders.Add(_instructions[slot].Trader);
        }
    }

    /// <summary>The position last given to <see cref="UpdatePosition"/> for a trader.</summary>
    /// <param name="trader">The trader.</param>
    /// <returns>The signed position in lots, or null when none was given.</returns>
    public long? GetPosition(Address trader) =>
        _traderSlots.TryGetValue(trader, out int slot) && _traders[slot].HasPosition ? _traders[slot].Position : null;

    /// <summary>
    /// Tells the manager a trader's option exposure, which its delta hedges (<see cref="InstructionKind.DeltaHedge"/>) and
    /// quotes (<see cref="InstructionKind.Quote"/>) act on; the manager knows no option maths. A venue calls it like
    /// <see cref="UpdatePosition"/>: after the fills of a block (step 3) and before <see cref="Evaluate"/>, for every
    /// trader whose exposure changed.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Until a trader's exposure is given, its hedges and quotes release nothing. Exposures are not part of a snapshot:
    /// a host restoring one states them again before the next evaluation.
    /// </para>
    /// </remarks>
    /// <param name="block">The block being processed.</param>
    /// <param name="trader">The trader.</param>
    /// <param name="delta">
    /// The trader's portfolio delta on the underlying, in the underlying perpetual's lots (rounded to nearest, ties away
    /// from zero, by the venue); signed.
    /// </param>
    /// <param name="vega">The trader's portfolio vega in quote atoms per 1.00 of volatility, rounded as <paramref name="delta"/>; signed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is not after the last evaluated block.</exception>
    public void UpdateExposure(long block, Address trader, long delta, long vega)
    {
        CheckOpenBlock(block);
        ref TraderCounters counters = ref _traders[TraderSlot(trader)];
        counters.HasExposure = true;
        counters.Delta = delta;
        counters.Vega = vega;
    }

    /// <summary>The exposure last given to <see cref="UpdateExposure"/> for a trader.</summary>
    /// <param name="trader">The trader.</param>
    /// <returns>Its delta (lots) and vega (quote atoms per 1.00 of volatility), or null when none was given.</returns>
    public (long Delta, long Vega)? GetExposure(Address trader) =>
        _traderSlots.TryGetValue(trader, out int slot) && _traders[slot].HasExposure ? (_traders[slot].Delta, _traders[slot].Vega) : null;

    /// <summary>How much a protective leg of this trader may release on <paramref name="side"/>: what reduces its position.</summary>
    private long ReducibleQuantity(int traderSlot, Side side)
    {
        ref TraderCounters counters = ref _traders[traderSlot];
        if (!counters.HasPosition)
        {
            return long.MaxValue;
        }

        return side == Side.Sell ? Math.Max(counters.Position, 0) : Math.Max(-counters.Position, 0);
    }

    private static bool IsProtective(in InstructionRecord instruction, in LegRecord leg) =>
        leg.Type != LegType.Limit || (instruction.Kind == InstructionKind.Bracket && leg.Role != LegRole.Entry);

    private void CancelProtection(long block, Address trader)
    {
        _scratch.Clear();
        for (int slot = 0; slot < _instructions.Length; slot++)
        {
            ref InstructionRecord record = ref _instructions[slot];
            if (record.Live && record.Trader == trader
                && (record.Kind is InstructionKind.Stop or InstructionKind.TrailingStop || (record.Kind == InstructionKind.Bracket && record.EntryDone)))
            {
                _scratch.Add(slot);
            }
        }

        SortInstructions(_scratch.Span);
        foreach (int slot in _scratch.Span)
        {
            ref InstructionRecord record = ref _instructions[slot];
            if (record.Kind != InstructionKind.Bracket)
            {
                CancelWhole(slot, block, CancelCause.PositionClosed);
                continue;
            }

            for (int i = 1; i < 3; i++)
            {
                int exit = record.LegAt(i);
                if (_legs[exit].State != LegState.Done)
                {
                    EndLeg(exit, block);
                    Emit(new ManagementEvent { Kind = ManagementEventKind.Cancelled, Block = block, Instruction = record.Id, Role = _legs[exit].Role, Cause = CancelCause.PositionClosed });
                }
            }

            Complete(slot, block);
        }
    }
}
