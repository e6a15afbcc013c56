namespace AuctionEngine.Management;

/// <summary>What a <see cref="ManagementEvent"/> reports; the fields each kind sets are listed on the member.</summary>
public enum ManagementEventKind : byte
{
    /// <summary>An instruction was accepted. Sets <see cref="ManagementEvent.Instruction"/>.</summary>
    Accepted = 1,

    /// <summary>An instruction was refused. Sets <see cref="ManagementEvent.Instruction"/> (its digest) and <see cref="ManagementEvent.Reason"/>.</summary>
    Rejected = 2,

    /// <summary>
    /// A cancellation was refused. Sets <see cref="ManagementEvent.Instruction"/> (the instruction it names) and
    /// <see cref="ManagementEvent.Reason"/>.
    /// </summary>
    CancellationRejected = 3,

    /// <summary>
    /// An instruction (<see cref="LegRole.Whole"/>) or one leg of it was cancelled. Sets
    /// <see cref="ManagementEvent.Role"/> and <see cref="ManagementEvent.Cause"/>.
    /// </summary>
    Cancelled = 4,

    /// <summary>
    /// A released order that had not cleared was taken out of its batch (its instruction was cancelled or expired).
    /// Sets <see cref="ManagementEvent.Role"/>, <see cref="ManagementEvent.OrderId"/>, <see cref="ManagementEvent.Quantity"/>
    /// and <see cref="ManagementEvent.Batch"/>.
    /// </summary>
    Withdrawn = 5,

    /// <summary>
    /// A released order traded. Sets <see cref="ManagementEvent.Role"/>, <see cref="ManagementEvent.OrderId"/>,
    /// <see cref="ManagementEvent.Side"/>, <see cref="ManagementEvent.Price"/> (the clearing price),
    /// <see cref="ManagementEvent.Quantity"/> (lots filled) and <see cref="ManagementEvent.Batch"/>.
    /// </summary>
    Fill = 6,

    /// <summary>
    /// An instruction is done: filled, or a TWAP after its last part's batch, or a bracket whose position is closed.
    /// Sets <see cref="ManagementEvent.Quantity"/> (lots filled in all; for a bracket, by its entry).
    /// </summary>
    Completed = 7,

    /// <summary>
    /// An instruction (<see cref="LegRole.Whole"/>) or a bracket's entry (<see cref="LegRole.Entry"/>) expired.
    /// Sets <see cref="ManagementEvent.Role"/> and <see cref="ManagementEvent.Quantity"/> (lots filled).
    /// </summary>
    Expired = 8,

    /// <summary>
    /// No usable oracle observation this block: no trigger, activation, trailing update or TWAP part was evaluated.
    /// Sets <see cref="ManagementEvent.OracleBlock"/> (the last observation's block, or -1 for none).
    /// </summary>
    Stale = 9,

    /// <summary>
    /// A trailing stop started tracking. Sets <see cref="ManagementEvent.Role"/> and <see cref="ManagementEvent.Price"/>
    /// (the oracle, its first extreme).
    /// </summary>
    Activated = 10,

    /// <summary>
    /// A stop or trailing stop triggered. Sets <see cref="ManagementEvent.Role"/> and <see cref="ManagementEvent.Price"/>
    /// (the oracle); its orders' limit is in the <see cref="Released"/> events that follow.
    /// </summary>
    Triggered = 11,

    /// <summary>
    /// A TWAP part came due but was not released: the oracle was stale, or its previous part is still in an uncleared
    /// batch. Later parts catch up. Sets <see cref="ManagementEvent.Part"/>.
    /// </summary>
    PartSkipped = 12,

    /// <summary>
    /// An order was released for the next batch. Sets <see cref="ManagementEvent.Role"/>, <see cref="ManagementEvent.OrderId"/>,
    /// <see cref="ManagementEvent.Side"/>, <see cref="ManagementEvent.Price"/> (its limit), <see cref="ManagementEvent.Quantity"/>,
    /// <see cref="ManagementEvent.Batch"/> and, for a TWAP, <see cref="ManagementEvent.Part"/>.
    /// </summary>
    Released = 13,

    /// <summary>
    /// An order was held back by <see cref="OrderManagerSettings.MaxReleasesPerTraderPerBatch"/> (or the manager's
    /// <see cref="OrderManagerSettings.MaxReleasesPerBatch"/>); it is released in a later block, except a TWAP part, which
    /// is skipped for later parts to catch up. Sets <see cref="ManagementEvent.Role"/>, <see cref="ManagementEvent.Quantity"/>,
    /// <see cref="ManagementEvent.Batch"/> and, for a TWAP, <see cref="ManagementEvent.Part"/>.
    /// </summary>
    Throttled = 14,
}
