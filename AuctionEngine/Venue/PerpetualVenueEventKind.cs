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
}
