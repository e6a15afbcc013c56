using System.Text.Json.Serialization;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Serialization;
using AuctionEngine.Signing;

namespace AuctionEngine.Settlement;

/// <summary>
/// One opened order of a cleared batch as the settlement contract takes it: the order as signed, the secret that
/// opens its commitment, its signature and the lots it trades (0 for an order that does not).
/// </summary>
/// <remarks>
/// The contract recomputes the commitment as <c>keccak256(abi.encode(digest, secret))</c> and finds it among the
/// order's trader's commitments of the batch; see <see cref="Sealing.Commitments"/>.
/// </remarks>
[JsonConverter(typeof(SettlementFillJsonConverter))]
public sealed class SettlementFill
{
    /// <summary>Creates a fill.</summary>
    /// <param name="order">The order exactly as its trader signed it.</param>
    /// <param name="secret">The commit-reveal salt, or <c>keccak256(ciphertext)</c> for an encrypted order.</param>
    /// <param name="signature">The trader's 65-byte EIP-712 signature, <c>r ‖ s ‖ v</c> with v 27 or 28.</param>
    /// <param name="lots">The lots it trades at the batch's price; 0 for an opened order that does not trade.</param>
    /// <exception cref="ArgumentException"><paramref name="signature"/> is not 65 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lots"/> is negative.</exception>
    public SettlementFill(SealedOrder order, Hash32 secret, ReadOnlyMemory<byte> signature, long lots)
    {
        if (signature.Length != Secp256k1.SignatureSize)
        {
            throw new ArgumentException($"A signature is {Secp256k1.SignatureSize} bytes.", nameof(signature));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(lots);
        Order = order;
        Secret = secret;
        Signature = signature;
        Lots = lots;
    }

    /// <summary>The order exactly as its trader signed it.</summary>
    public SealedOrder Order { get; }

    /// <summary>The secret that, with the order's digest, hashes to its commitment.</summary>
    public Hash32 Secret { get; }

    /// <summary>The trader's 65-byte signature.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The lots the order trades.</summary>
    public long Lots { get; }
}
