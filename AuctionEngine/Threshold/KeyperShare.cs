using AuctionEngine.Crypto.Internal;

namespace AuctionEngine.Threshold;

/// <summary>
/// One keyper's share of a batch secret key: the keyper's index and the value of the sharing polynomial there, as
/// key generation deals it to the keyper.
/// </summary>
/// <remarks>
/// A share here is trusted to be well formed (an index from 1, a 32-byte value), so building one from anything else
/// is a caller's bug and throws. What keypers release over the wire is a <see cref="SignedKeyperShare"/>, which takes
/// any input and is judged by <see cref="BatchKeyOpener.Open"/> instead. The value is not checked against the group
/// order here: <see cref="FeldmanCommitments.Check"/> says whether it is a scalar on the dealt polynomial.
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
