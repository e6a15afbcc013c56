using System.Runtime.InteropServices;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Management;

/// <summary>
/// One thing the manager did in a block. A value with no strings, written into a reusable buffer
/// (<see cref="OrderManager.Events"/>); <see cref="Kind"/> says which fields are set (see <see cref="ManagementEventKind"/>),
/// the others are 0.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct ManagementEvent
{
    /// <summary>What happened.</summary>
    public ManagementEventKind Kind { get; init; }

    /// <summary>The block it happened in.</summary>
    public long Block { get; init; }

    /// <summary>The instruction's id (its EIP-712 digest); for a rejection, the refused struct's digest.</summary>
    public Hash32 Instruction { get; init; }

    /// <summary>Which leg of the instruction.</summary>
    public LegRole Role { get; init; }

    /// <summary>The engine id of a released order.</summary>
    public ulong OrderId { get; init; }

    /// <summary>The side of a released order.</summary>
    public Side Side { get; init; }

    /// <summary>A price in ticks: a released order's limit, a fill's clearing price, the oracle of an activation or trigger.</summary>
    public long Price { get; init; }

    /// <summary>A quantity in lots.</summary>
    public long Quantity { get; init; }

    /// <summary>The batch a released order is for.</summary>
    public long Batch { get; init; }

    /// <summary>For <see cref="ManagementEventKind.Stale"/>: the block of the last observation, or -1 if there was none.</summary>
    public long OracleBlock { get; init; }

    /// <summary>A TWAP part's index, from 0.</summary>
    public int Part { get; init; }

    /// <summary>Why a submission was refused.</summary>
    public InstructionRejectReason Reason { get; init; }

    /// <summary>Why an instruction or leg was cancelled.</summary>
    public CancelCause Cause { get; init; }
}
