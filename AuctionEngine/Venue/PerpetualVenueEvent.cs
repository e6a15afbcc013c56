using System.Runtime.InteropServices;
using AuctionEngine.Management;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;

namespace AuctionEngine.Venue;

/// <summary>
/// One thing that happened in a block of a <see cref="PerpetualVenue"/>: an event of its <see cref="BatchVenue"/>, or
/// one of the margin engine's. <see cref="Kind"/> says which fields are set; the others are their defaults.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct PerpetualVenueEvent
{
    /// <summary>What happened.</summary>
    public PerpetualVenueEventKind Kind { get; init; }

    /// <summary>The block it happened in.</summary>
    public long Block { get; init; }

    /// <summary>
    /// The market it concerns, by its index in the engine: the batch venue's for <see cref="PerpetualVenueEventKind.Venue"/>,
    /// the order's for <see cref="PerpetualVenueEventKind.Rejected"/> and <see cref="PerpetualVenueEventKind.Reduced"/>
    /// (for an order refused as <see cref="AdmissionStatus.UnknownMarket"/>, the index it named), the position's for a
    /// liquidation, deleveraging or funding, the series' for <see cref="PerpetualVenueEventKind.SeriesSettled"/>; −1 for
    /// what belongs to no market (an insolvency, the insurance fund, a submission naming no market).
    /// </summary>
    public int MarketIndex { get; init; }

    /// <summary>For <see cref="PerpetualVenueEventKind.Venue"/>: the batch venue's event.</summary>
    public VenueEvent Venue { get; init; }

    /// <summary>For <see cref="PerpetualVenueEventKind.Liquidation"/>: the order released for the next batch.</summary>
    public LiquidationOrder Liquidation { get; init; }

    /// <summary>The id of the order the margin engine refused or cut down.</summary>
    public ulong OrderId { get; init; }

    /// <summary>The trader of that order.</summary>
    public Address Trader { get; init; }

    /// <summary>The instruction that released that order, when the manager did; otherwise default.</summary>
    public Hash32 Instruction { get; init; }

    /// <summary>The margin engine's verdict.</summary>
    public AdmissionStatus Admission { get; init; }

    /// <summary>For <see cref="PerpetualVenueEventKind.Reduced"/>: the lots admitted.</summary>
    public long Quantity { get; init; }

    /// <summary>For <see cref="PerpetualVenueEventKind.Funding"/>: the payment.</summary>
    public FundingPayment Funding { get; init; }

    /// <summary>For <see cref="PerpetualVenueEventKind.Deleveraged"/>: the transfer.</summary>
    public Deleveraging Deleveraging { get; init; }

    /// <summary>For <see cref="PerpetualVenueEventKind.Insolvent"/>: the unabsorbed loss.</summary>
    public Insolvency Insolvency { get; init; }

    /// <summary>For <see cref="PerpetualVenueEventKind.InsuranceFund"/>: the fund's balance at the end of the block, in quote atoms.</summary>
    public Int128 Balance { get; init; }

    /// <summary>For <see cref="PerpetualVenueEventKind.SeriesSettled"/>: what the settlement moved.</summary>
    public SeriesSettlement Settlement { get; init; }

    /// <summary>For a submission naming no market of the venue: the market address it named.</summary>
    public Address MarketAddress { get; init; }

    /// <summary>For a submission naming no market of the venue: why it was refused (<see cref="InstructionRejectReason.WrongMarket"/>).</summary>
    public InstructionRejectReason Reason { get; init; }
}
