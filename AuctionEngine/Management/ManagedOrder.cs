using System.Runtime.InteropServices;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Management;

/// <summary>
/// An order the manager released for a batch: the engine <see cref="Orders.Order"/> the venue clears with everything
/// else in the batch, and where it came from.
/// </summary>
/// <remarks>
/// The order's <see cref="Order.Id"/> is <c>BE64(instruction[0..8]) XOR mix(ReleaseSequence)</c> and its
/// <see cref="Order.PriorityKey"/> is <c>BE64(instruction[8..16]) XOR mix(ReleaseSequence) XOR BE64(randomness[0..8])</c>,
/// where <c>mix</c> is SplitMix64's finaliser and <c>randomness</c> is the batch's, given to
/// <see cref="OrderManager.Evaluate"/>. The instruction id is already a Keccak-256 digest, so its bytes are uniform; the
/// batch's randomness is unknown when the instruction is signed, so a trader cannot grind a low key.
/// </remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct ManagedOrder
{
    /// <summary>The order as the clearing engine sees it (always a limit order).</summary>
    public Order Order { get; init; }

    /// <summary>The id of the instruction that released it.</summary>
    public Hash32 Instruction { get; init; }

    /// <summary>The kind of that instruction.</summary>
    public InstructionKind Kind { get; init; }

    /// <summary>The leg that released it; bracket exits are <see cref="LegRole.TakeProfit"/> and <see cref="LegRole.StopLoss"/>.</summary>
    public LegRole Role { get; init; }

    /// <summary>
    /// Whether the instruction was signed reduce-only (<see cref="Signing.Instruction.ReduceOnly"/>): a venue with
    /// positions admits the order cut down to what reduces the trader's position. A venue decides for itself whether a
    /// protective release (a stop, trailing stop or bracket exit) is reduce-only when this is false.
    /// </summary>
    public bool ReduceOnly { get; init; }

    /// <summary>How many orders the instruction had released before this one.</summary>
    public long ReleaseSequence { get; init; }

    /// <summary>The batch it was released for.</summary>
    public long Batch { get; init; }

    /// <summary>
    /// The priority key a released order has under <paramref name="batchRandomness"/>: for a venue that learns a
    /// batch's randomness only after the release (a sealed batch's reveal), to re-key the order with
    /// <c>new Order(order.Id, …, PriorityKey(Instruction, ReleaseSequence, randomness))</c>.
    /// </summary>
    /// <param name="instruction">The instruction's id.</param>
    /// <param name="releaseSequence">The order's <see cref="ReleaseSequence"/>.</param>
    /// <param name="batchRandomness">The batch's randomness.</param>
    /// <returns><c>BE64(instruction[8..16]) XOR mix(releaseSequence) XOR BE64(batchRandomness[0..8])</c>.</returns>
    public static ulong PriorityKey(Hash32 instruction, long releaseSequence, Hash32 batchRandomness) =>
        Internal.ReleaseIds.PriorityKey(instruction, releaseSequence, batchRandomness);
}
