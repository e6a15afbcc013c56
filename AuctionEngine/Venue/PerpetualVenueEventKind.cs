namespace AuctionEngine.Venue;

/// <summary>What a <see cref="PerpetualVenueEvent"/> reports; the fields each kind sets are listed on the member.</summary>
public enum PerpetualVenueEventKind : byte
{
    /// <summary>Something the underlying <see cref="BatchVenue"/> (or its manager) reported: see <see cref="PerpetualVenueEvent.Venue"/>.</summary>
    Venue = 1,

    /// <summary>
    /// A liquidation order released for the next batch (scanned at this block's oracle, cut to what this block's batch
    /// left of the position). Sets
    /// <see cref="PerpetualVenueEvent.Liquidation"/>.
    /// </summary>
    Liquidation = 2,

    /// <summary>
    /// The margin engine kept an order out of the batch. Sets <see cref="PerpetualVenueEvent.OrderId"/>,
    /// <see cref="PerpetualVenueEvent.Trader"/>, <see cref="PerpetualVenueEvent.Instruction"/> (the manager's orders only)
    /// and <see cref="PerpetualVenueEvent.Admission"/> (why).
    /// </summary>
    Rejected = 3,

    /// <summary>
    /// A reduce-only order entered the batch cut down to what reduces the position. Sets the fields of
    /// <see cref="Rejected"/>, with <see cref="PerpetualVenueEvent.Admission"/> <see cref="Perpetuals.AdmissionStatus.Reduced"/>
    /// and <see cref="PerpetualVenueEvent.Quantity"/> the lots admitted.
    /// </summary>
    Reduced = 4,

    /// <summary>A funding interval ended. Sets <see cref="PerpetualVenueEvent.Funding"/>.</summary>
    Funding = 5,

    /// <summary>An insolvent account's position was closed against a counterparty. Sets <see cref="PerpetualVenueEvent.Deleveraging"/>.</summary>
    Deleveraged = 6,

    /// <summary>An account is left with negative net collateral nobody could absorb. Sets <see cref="PerpetualVenueEvent.Insolvency"/>.</summary>
    Insolvent = 7,

    /// <summary>The insurance fund's balance changed in the block. Sets <see cref="PerpetualVenueEvent.Balance"/>.</summary>
    InsuranceFund = 8,

    /// <summary>
    /// An option series reached its expiry block with a usable oracle observation of its underlying, published at or after
    /// that block (an older price is a pre-expiry price, however fresh), and was settled in
    /// cash at that price (<see cref="Perpetuals.PerpetualEngine.SettleSeries"/>); its orders are refused from its expiry
    /// block on, and its manager was closed in that block (<see cref="Management.OrderManager.Close"/>), which may be
    /// before this settlement.
    /// Sets <see cref="PerpetualVenueEvent.MarketIndex"/> and <see cref="PerpetualVenueEvent.Settlement"/>.
    /// </summary>
    SeriesSettled = 9,

    /// <summary>
    /// An instruction named a market address no market of the venue has: refused before any manager saw it. Sets
    /// <see cref="PerpetualVenueEvent.Trader"/>, <see cref="PerpetualVenueEvent.Instruction"/> (its id: the EIP-712
    /// digest in the domain of market 0's manager; default for an instruction kind that is not defined),
    /// <see cref="PerpetualVenueEvent.MarketAddress"/> and <see cref="PerpetualVenueEvent.Reason"/>
    /// (<see cref="Management.InstructionRejectReason.WrongMarket"/>); <see cref="PerpetualVenueEvent.MarketIndex"/> is −1.
    /// </summary>
    InstructionRejected = 10,

    /// <summary>
    /// A cancellation named a market address no market of the venue has: refused before any manager saw it. Sets the
    /// fields of <see cref="InstructionRejected"/>, with <see cref="PerpetualVenueEvent.Instruction"/> the id of the
    /// instruction it would cancel.
    /// </summary>
    CancellationRejected = 11,
}
