using System.Buffers.Binary;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;

namespace AuctionEngine.Sealing;

/// <summary>
/// The exact hashes that seal an order and rank it, written so that a settlement contract can recompute each one
/// with a single <c>keccak256</c>.
/// </summary>
public static class Commitments
{
    /// <summary>
    /// The commitment of a commit-reveal order: <c>keccak256(abi.encode(orderDigest, salt))</c>, i.e. Keccak-256 of
    /// the 64 bytes <c>orderDigest || salt</c> (two <c>bytes32</c> words need no padding).
    /// </summary>
    /// <param name="orderDigest">The order's EIP-712 digest, the one its trader signed.</param>
    /// <param name="salt">32 secret random bytes chosen by the trader, so that the commitment reveals nothing about the order.</param>
    public static Hash32 ForReveal(Hash32 orderDigest, Hash32 salt)
    {
        Span<byte> words = stackalloc byte[2 * Hash32.Length];
        orderDigest.WriteTo(words);
        salt.WriteTo(words[Hash32.Length..]);
        return Keccak256.Hash(words);
    }

    /// <summary>The commitment of an encrypted order: <c>keccak256(ciphertext)</c>, over the ciphertext's bytes exactly as submitted.</summary>
    /// <param name="ciphertext">The ECIES ciphertext.</param>
    public static Hash32 ForCiphertext(ReadOnlySpan<byte> ciphertext) => Keccak256.Hash(ciphertext);

    /// <summary>
    /// The rationing priority key of a sealed order: the first 8 bytes, big-endian, of
    /// <c>keccak256(abi.encode(commitment, randomness))</c>.
    /// </summary>
    /// <remarks>
    /// The batch's randomness (for example the hash of the block after the batch closed) is unknown while orders
    /// are committed, so no trader can grind a commitment that wins ties.
    /// </remarks>
    /// <param name="commitment">The order's commitment.</param>
    /// <param name="randomness">The batch's randomness, passed in by the host.</param>
    public static ulong PriorityKey(Hash32 commitment, Hash32 randomness)
    {
        Span<byte> words = stackalloc byte[2 * Hash32.Length];
        commitment.WriteTo(words);
        randomness.WriteTo(words[Hash32.Length..]);
        Span<byte> hash = stackalloc byte[Hash32.Length];
        Keccak256.HashData(words, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
