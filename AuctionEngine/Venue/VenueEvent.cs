using System.Runtime.InteropServices;
using AuctionEngine.Clearing;
using AuctionEngine.Management;

namespace AuctionEngine.Venue;

/// <summary>
/// One thing that happened in a block of a <see cref="BatchVenue"/>: a venue event, or the manager's
/// (<see cref="VenueEventKind.Management"/>). A value with no strings; <see cref="Kind"/> says which fields are set, the
/// others are 0.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct VenueEvent
{
    /// <summary>What happened.</summary>
    public VenueEventKind Kind { get; init; }

    /// <summary>The block it happened in.</summary>
    public long Block { get; init; }

    /// <summary>For <see cref="VenueEventKind.Management"/>: the manager's event.</summary>
    public ManagementEvent Management { get; init; }

    /// <summary>The batch: the block whose batch cleared, found no price or was interrupted; for a fill or a rejection, the batch the order was listed for.</summary>
    public long Batch { get; init; }

    /// <summary>The earliest batch whose orders the clearing held (equal to <see cref="Batch"/> unless an interruption merged batches).</summary>
    public long FirstBatch { get; init; }

    /// <summary>A price in ticks: the clearing price, or an interruption's would-be price.</summary>
    public long Price { get; init; }

    /// <summary>The lots traded by a batch.</summary>
    public UInt128 Volume { get; init; }

    /// <summary>Why a batch found no price.</summary>
    public ClearingStatus Status { get; init; }

    /// <summary>The band an interrupted batch's would-be price fell outside.</summary>
    public CircuitBand Band { get; init; }

    /// <summary>The block an interrupted batch clears in.</summary>
    public long Until { get; init; }

    /// <summary>Who listed the order: <see cref="BatchVenue.HostSource"/> for the host's orders, else the index of its <see cref="IBatchOrderSource"/>.</summary>
    public int Source { get; init; }

    /// <summary>The order's id.</summary>
    public ulong OrderId { get; init; }

    /// <summary>Lots filled.</summary>
    public long Quantity { get; init; }

    /// <summary>Why the engine refused an order.</summary>
    public RejectReason Rejection { get; init; }
}
