namespace AuctionEngine.Management;

public sealed partial class OrderManager
{
    private bool _closed;

    /// <summary>Whether the manager's market is closed for good (<see cref="Close"/>).</summary>
    public bool IsClosed => _closed;

    /// <summary>
    /// Closes the manager's market for good, as an option series' is at its expiry block: every live instruction ends, and
    /// from now on the manager takes no instruction and releases nothing. A venue calls it like
    /// <see cref="UpdatePosition"/>: after the fills of a block (step 3) and before <see cref="Evaluate"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Every live instruction, whatever its kind (standing limits, stops waiting for their trigger, TWAPs, OCOs and
    /// brackets, delta hedges and quotes, with or without an expiry), ends in ascending instruction id with
    /// <see cref="ManagementEventKind.Cancelled"/> and <see cref="CancelCause.MarketClosed"/>, after a
    /// <see cref="ManagementEventKind.Withdrawn"/> for each of its orders still waiting in an interrupted batch, exactly as
    /// a trader's cancellation. Its trader's instruction quota (<see cref="OrderManagerSettings.MaxInstructionsPerTrader"/>)
    /// is freed, and its id stays known as a finished instruction's does.
    /// </para>
    /// <para>
    /// Once closed: <see cref="Submit"/> refuses every instruction for the market as
    /// <see cref="InstructionRejectReason.MarketClosed"/> (cancellations get the answer they always got: none names a
    /// live instruction any more); <see cref="Evaluate"/> only moves the manager to its block, releasing nothing and
    /// emitting nothing, not even <see cref="ManagementEventKind.Stale"/>, and keeps no observation;
    /// <see cref="UpdatePosition"/> and <see cref="UpdateExposure"/> are still accepted and change nothing that acts.
    /// The closed flag is part of the snapshot. Closing a closed manager changes nothing.
    /// </para>
    /// </remarks>
    /// <param name="block">The block being processed; the cancellations' events carry it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is not after the last evaluated block.</exception>
    public void Close(long block)
    {
        CheckOpenBlock(block);
        if (_closed)
        {
            return;
        }

        _closed = true;
        _scratch.Clear();
        for (int slot = 0; slot < _instructions.Length; slot++)
        {
            if (_instructions[slot].Live)
            {
                _scratch.Add(slot);
            }
        }

        SortInstructions(_scratch.Span);
        foreach (int slot in _scratch.Span)
        {
            CancelWhole(slot, block, CancelCause.MarketClosed);
        }

        CompactPending();
    }
}
