using System.Buffers.Binary;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;

namespace AuctionEngine.Sealing;

/// <summary>
/// The exact hashes that seal an order and rank it, written so that a settlement contract can recompute each one
/// with a single <c>keccak256</c>.
/// </summary>
/// <remarks>
/// Every commitment binds exactly one signed order: <c>keccak256(abi.encode(orderDigest, secret))</c>, where the
/// secret is a random salt for a commit-reveal order and <c>keccak256(ciphertext)</c> for an encrypted one. Opening a
/// commitment therefore always names the order it sealed, and a ciphertext can only open to that order.
/// </remarks>
public static class Commitments
{
    /// <summary>
    /// A commitment to an order: <c>keccak256(abi.encode(orderDigest, secret))</c>, i.e. Keccak-256 of the 64 bytes
    /// <c>orderDigest ‖ secret</c> (two <c>bytes32</c> words need no padding).
    /// </summary>
    /// <param name="orderDigest">The order's EIP-712 digest, the one its trader signed.</param>
    /// <param name="secret">
    /// For a commit-reveal order, 32 secret random bytes chosen by the trader, so that the commitment reveals nothing
    /// about the order; for an encrypted order, <see cref="CiphertextSecret"/> of its ciphertext.
    /// </param>
    /// <returns>The commitment.</returns>
    public static Hash32 ForReveal(Hash32 orderDigest, Hash32 secret)
    {
        Span<byte> words = stackalloc byte[2 * Hash32.Length];
        orderDigest.WriteTo(words);
        secret.WriteTo(words[Hash32.Length..]);
        return Keccak256.Hash(words);
    }

    /// <summary>
    /// The commitment of an encrypted order: <c>keccak256(abi.encode(orderDigest, keccak256(ciphertext)))</c>, which
    /// binds both the order and the exact ciphertext that carries it.
    /// </summary>
    /// <param name="orderDigest">The EIP-712 digest of the order inside the ciphertext.</param>
    /// <param name="ciphertext">The ECIES ciphertext, exactly as submitted.</param>
    /// <returns>The commitment.</returns>
    public static Hash32 ForEncrypted(Hash32 orderDigest, ReadOnlySpan<byte> ciphertext) => ForReveal(orderDigest, CiphertextSecret(ciphertext));

    /// <summary>The secret an encrypted order is committed with: <c>keccak256(ciphertext)</c>.</summary>
    /// <param name="ciphertext">The ECIES ciphertext, exactly as submitted.</param>
    /// <returns>Its Keccak-256.</returns>
    public static Hash32 CiphertextSecret(ReadOnlySpan<byte> ciphertext) => Keccak256.Hash(ciphertext);

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
    /// <returns>The key; lower wins an exact tie.</returns>
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
