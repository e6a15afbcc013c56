using System.Runtime.CompilerServices;
using AuctionEngine.Primitives;

namespace AuctionEngine.Management.Internal;

/// <summary>The engine id and priority key of a released order (see <see cref="ManagedOrder"/>).</summary>
/// <remarks>
/// The design asked for <c>keccak256(instructionId ‖ sequence)</c> and <c>keccak256(instructionId ‖ sequence ‖ randomness)</c>:
/// two Keccak-256 sponges per release, about 0.8 us in BouncyCastle's (a commitment check, four of them, measures
/// 1.7 us), so 8 ms for 10,000 releases, four times the budget of the whole block. The instruction id is already a Keccak-256 digest, so its bytes are uniform:
/// mixing them with an invertible function of the release sequence gives ids that collide as rarely as truncated
/// hashes, and XOR with the batch's randomness, unknown when the instruction was signed, keeps the key ungrindable.
/// </remarks>
internal static class ReleaseIds
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong OrderId(Hash32 instruction, long sequence) => instruction.Prefix ^ Mix((ulong)sequence);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PriorityKey(Hash32 instruction, long sequence, Hash32 batchRandomness) =>
        instruction.Bytes8To15 ^ Mix((ulong)sequence) ^ batchRandomness.Prefix;

    /// <summary>SplitMix64's finaliser of <c>sequence + golden gamma</c>: a bijection of 64-bit values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong sequence)
    {
        ulong z = sequence + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
