namespace AuctionEngine.Threshold;

/// <summary>
/// A share as a keyper releases it, and as it arrives: the index it claims, the value, and the keyper's signature
/// of the two for one batch (see <see cref="KeyperShareContext"/> for the signed message).
/// </summary>
/// <remarks>
/// Nothing here is trusted and nothing is checked on construction: an index of 0, a negative one or one beyond n, a
/// value that is not 32 bytes or not a scalar, a signature of any length all make a share that
/// <see cref="BatchKeyOpener.Open"/> judges and reports, never one that throws. Instances are immutable.
/// </remarks>
public sealed class SignedKeyperShare
{
    private readonly byte[] _value;
    private readonly byte[] _signature;

    /// <summary>Takes a released share as it came.</summary>
    /// <param name="index">The keyper index the share claims, whatever it is.</param>
    /// <param name="value">The share value; honest keypers send 32 big-endian bytes. It is copied.</param>
    /// <param name="signature">The keyper's signature, r ‖ s ‖ v; honest keypers send 65 bytes. It is copied.</param>
    public SignedKeyperShare(int index, ReadOnlySpan<byte> value, ReadOnlySpan<byte> signature)
    {
        Index = index;
        _value = value.ToArray();
        _signature = signature.ToArray();
    }

    /// <summary>The keyper index the share claims.</summary>
    public int Index { get; }

    /// <summary>The share value, exactly as released.</summary>
    public ReadOnlyMemory<byte> Value => _value;

    /// <summary>The signature, exactly as released.</summary>
    public ReadOnlyMemory<byte> Signature => _signature;
}
