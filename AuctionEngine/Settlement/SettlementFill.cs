using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Settlement;

/// <summary>
/// One order of a cleared batch as the settlement contract takes it: the order, how it was sealed (the salt of a
/// commit-reveal order, or the ciphertext of an encrypted one), its signature and its lots.
/// </summary>
public sealed class SettlementFill
{
    /// <summary>Creates a fill.</summary>
    /// <param name="order">The order exactly as its trader signed it.</param>
    /// <param name="salt">The salt of a commit-reveal order's commitment, <c>keccak256(abi.encode(digest, salt))</c>; zero for an encrypted order.</param>
    /// <param name="signature">The trader's 65-byte EIP-712 signature, <c>r ‖ s ‖ v</c>.</param>
    /// <param name="lots">The lots it trades at the batch's price.</param>
    /// <param name="ciphertext">The ciphertext an encrypted order was committed as (its commitment is its Keccak-256); empty for a commit-reveal order.</param>
    /// <exception cref="ArgumentException"><paramref name="signature"/> is not 65 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lots"/> is negative.</exception>
    public SettlementFill(SealedOrder order, Hash32 salt, ReadOnlyMemory<byte> signature, long lots, ReadOnlyMemory<byte> ciphertext = default)
    {
        if (signature.Length != Secp256k1.SignatureSize)
        {
            throw new ArgumentException($"A signature is {Secp256k1.SignatureSize} bytes.", nameof(signature));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(lots);
        Order = order;
        Salt = salt;
        Signature = signature;
        Lots = lots;
        Ciphertext = ciphertext;
    }

    /// <summary>The order exactly as its trader signed it.</summary>
    public SealedOrder Order { get; }

    /// <summary>The salt of the order's commitment.</summary>
    public Hash32 Salt { get; }

    /// <summary>The trader's 65-byte signature.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The lots the order trades.</summary>
    public long Lots { get; }

    /// <summary>The ciphertext of an encrypted order; empty for a commit-reveal one.</summary>
    public ReadOnlyMemory<byte> Ciphertext { get; }
}
