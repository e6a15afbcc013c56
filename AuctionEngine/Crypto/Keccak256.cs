using AuctionEngine.Primitives;
using Org.BouncyCastle.Crypto.Digests;

namespace AuctionEngine.Crypto;

/// <summary>
/// Ethereum's Keccak-256: the original Keccak submission with 0x01 padding, as used by Solidity's <c>keccak256</c>,
/// which differs from FIPS 202 SHA3-256 (0x06 padding) on every input.
/// </summary>
/// <remarks>
/// <para>
/// An instance holds the sponge state and is meant to be created once and reused: <see cref="AppendData"/>,
/// <see cref="GetHashAndReset"/> and <see cref="ComputeHash(ReadOnlySpan{byte}, Span{byte})"/> do not allocate. After
/// <see cref="GetHashAndReset"/> or <see cref="ComputeHash(ReadOnlySpan{byte}, Span{byte})"/> the instance is ready for a new message.
/// </para>
/// <para>An instance is not thread-safe; the static methods are, and use one instance per thread.</para>
/// </remarks>
public sealed class Keccak256
{
    /// <summary>The number of bytes in a hash.</summary>
    public const int HashSize = 32;

    [ThreadStatic]
    private static Keccak256? s_perThread;

    private readonly KeccakDigest _digest = new(256);

    /// <summary>Absorbs more of the message.</summary>
    /// <param name="data">The next bytes of the message.</param>
    public void AppendData(ReadOnlySpan<byte> data) => _digest.BlockUpdate(data);

    /// <summary>Writes the hash of everything appended since the last reset, then resets for a new message.</summary>
    /// <param name="destination">At least 32 bytes; the hash goes into the first 32.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void GetHashAndReset(Span<byte> destination)
    {
        if (destination.Length < HashSize)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(destination));
        }

        _digest.DoFinal(destination);
    }

    /// <summary>Discards anything appended so far.</summary>
    public void Reset() => _digest.Reset();

    /// <summary>Hashes <paramref name="data"/> alone, discarding anything appended before.</summary>
    /// <param name="data">The whole message.</param>
    /// <param name="destination">At least 32 bytes; the hash goes into the first 32.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void ComputeHash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        _digest.Reset();
        _digest.BlockUpdate(data);
        GetHashAndReset(destination);
    }

    /// <summary>Hashes <paramref name="data"/> alone, discarding anything appended before.</summary>
    /// <param name="data">The whole message.</param>
    /// <returns>The hash.</returns>
    public Hash32 ComputeHash(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[HashSize];
        ComputeHash(data, hash);
        return new Hash32(hash);
    }

    /// <summary>Hashes a message with this thread's shared instance, without allocating after its first use.</summary>
    /// <param name="data">The whole message.</param>
    /// <param name="destination">At least 32 bytes; the hash goes into the first 32.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void HashData(ReadOnlySpan<byte> data, Span<byte> destination) => PerThread.ComputeHash(data, destination);

    /// <summary>Hashes a message into a new array; for code off the hot path.</summary>
    /// <param name="data">The whole message.</param>
    /// <returns>A new 32-byte array.</returns>
    public static byte[] HashData(ReadOnlySpan<byte> data)
    {
        var hash = new byte[HashSize];
        PerThread.ComputeHash(data, hash);
        return hash;
    }

    /// <summary>Hashes a message with this thread's shared instance.</summary>
    /// <param name="data">The whole message.</param>
    /// <returns>The hash.</returns>
    public static Hash32 Hash(ReadOnlySpan<byte> data) => PerThread.ComputeHash(data);

    // Static callers on any thread must not share sponge state, and a fresh instance per call would allocate.
    internal static Keccak256 PerThread => s_perThread ??= new Keccak256();
}
