using AuctionEngine.Crypto.Internal;

namespace AuctionEngine.Threshold;

/// <summary>
/// One keyper's share of a batch secret key: the keyper's index and the value of the sharing polynomial there.
/// </summary>
/// <remarks>
/// A share is taken as released, without checking the value against the group order: a keyper that publishes a
/// value that is not a scalar is then named by <see cref="BatchKeyOpener.Open"/> instead of stopping the batch.
/// </remarks>
public sealed class KeyperShare
{
    /// <summary>The length of a share value: a 32-byte big-endian scalar modulo the secp256k1 group order.</summary>
    public const int ValueLength = Secp256k1Curve.ScalarLength;

    private readonly byte[] _value;

    /// <summary>Creates a share.</summary>
    /// <param name="index">The keyper's index, from 1; the polynomial at 0 is the secret itself.</param>
    /// <param name="value">The 32-byte big-endian value; it is copied.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not 32 bytes long.</exception>
    public KeyperShare(int index, ReadOnlySpan<byte> value)
    {
        if (index < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange_KeyperIndex(index, nameof(index));
        }

        if (value.Length != ValueLength)
        {
            ThrowHelper.ThrowArgumentException_ScalarLength(value.Length, nameof(value));
        }

        Index = index;
        _value = value.ToArray();
    }

    /// <summary>The keyper's index, from 1.</summary>
    public int Index { get; }

    /// <summary>The 32-byte big-endian share value, exactly as released.</summary>
    public ReadOnlyMemory<byte> Value => _value;
}
