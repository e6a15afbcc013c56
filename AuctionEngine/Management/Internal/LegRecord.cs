using System.Runtime.InteropServices;
using AuctionEngine.Orders;

namespace AuctionEngine.Management.Internal;

/// <summary>Where a leg is in its life; the state says which index (if any) holds it.</summary>
internal enum LegState : byte
{
    /// <summary>The slot is free.</summary>
    Free = 0,

    /// <summary>A bracket exit with nothing to protect yet: in no index.</summary>
    Idle = 1,

    /// <summary>A stop waiting for its trigger, or a trailing stop for its activation price: in a trigger heap.</summary>
    Watching = 2,

    /// <summary>A trailing stop with no activation price, waiting for its first usable observation.</summary>
    AwaitingObservation = 3,

    /// <summary>A trailing stop tracking its extreme: in a <see cref="TrailingSet"/>.</summary>
    Tracking = 4,

    /// <summary>A triggered stop or a standing limit, released into every batch: in the releasing set.</summary>
    Releasing = 5,

    /// <summary>A TWAP, released only when a part is due: its instruction is in the due heap.</summary>
    Scheduled = 6,

    /// <summary>Cancelled, expired, filled or otherwise finished while its instruction lives on.</summary>
    Done = 7,

    /// <summary>
    /// A delta hedge's or a quote's leg: each evaluation sizes and prices its release from the trader's exposure and the
    /// oracle; in the exposure set.
    /// </summary>
    FollowingExposure = 8,
}

/// <summary>
/// One leg of a live instruction (a TWAP is one leg of type <see cref="LegType.Limit"/> in state <see cref="LegState.Scheduled"/>;
/// a delta hedge one, and a quote two, of that type in state <see cref="LegState.FollowingExposure"/>).
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal struct LegRecord
{
    public int Instruction;

    /// <summary>The first 8 bytes of the instruction's id: the sort key of every step, kept here to spare a cache miss per leg.</summary>
    public ulong IdPrefix;
    public LegRole Role;
    public LegType Type;
    public Side Side;
    public StopKind StopKind;
    public LegState State;

    /// <summary>Triggers (or activates) when the oracle is at or below <see cref="Price"/>: a stop-loss sell or a take-profit buy.</summary>
    public bool TriggersFalling;

    public long Price;
    public long LimitPrice;
    public int SlippageBps;
    public int TrailingBps;
    public long Quantity;
    public long Filled;
    public long DisplayQuantity;

    /// <summary>The limit its orders are released at, fixed when it triggered.</summary>
    public long FixedLimit;
    public long TriggerBlock;

    /// <summary>A tracking trailing stop's extreme, copied out of its <see cref="TrailingSet"/> only for a snapshot.</summary>
    public long Extreme;

    /// <summary>Lots of the order waiting in an uncleared batch; 0 when none.</summary>
    public long PendingQuantity;

    // A TWAP part's size, limit and index, or a hedge's or quote's order, set when it comes due and read by the release
    // step of the same block.
    public long PartQuantity;
    public long PartLimit;
    public int Part;
}
