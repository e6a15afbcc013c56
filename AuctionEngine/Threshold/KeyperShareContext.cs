using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Threshold;

/// <summary>
/// The batch a keyper releases its share for, and the exact message it signs: the EIP-712 struct
/// <c>KeyperShare(address market,uint64 batchId,bytes32 sharingHash,uint32 index,bytes32 value)</c> under the same
/// <see cref="Eip712Domain"/> the batch's orders are signed under.
/// </summary>
/// <remarks>
/// <para>
/// The digest a keyper signs, with any EIP-712 signer (<c>eth_signTypedData_v4</c>) or by hand, is
/// <c>keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash)</c> with
/// </para>
/// <code>
/// bytes32 constant KEYPER_SHARE_TYPEHASH = keccak256(
///     "KeyperShare(address market,uint64 batchId,bytes32 sharingHash,uint32 index,bytes32 value)");
/// bytes32 structHash = keccak256(abi.encode(KEYPER_SHARE_TYPEHASH, market, batchId, sharingHash, index, value));
/// </code>
/// <para>
/// That is six 32-byte words: the type hash; the market address (12 zero bytes, then its 20 bytes), as signed orders
/// name it; the batch id, big-endian and left-padded with zeros; <see cref="FeldmanCommitments.SharingHash"/>, the
/// Keccak-256 of every commitment's uncompressed x ‖ y in degree order; the keyper's index (from 1), big-endian and
/// left-padded; the 32-byte big-endian share value exactly as released. The signature is 65 bytes
/// <c>r ‖ s ‖ v</c> with low s (EIP-2) and v 27/28 or 0/1, as <see cref="Secp256k1.Sign"/> writes it, by the key of
/// the address registered for that index in the <see cref="KeyperSet"/>.
/// </para>
/// <para>
/// Every field a replay could change is under the signature: a share signed for another market, batch, sharing,
/// index or value, or under another domain (chain, contract, version), recovers to an unrelated address and is
/// ignored rather than held against the keyper. Instances are immutable and safe to share between threads.
/// </para>
/// </remarks>
public sealed class KeyperShareContext
{
    /// <summary>The canonical EIP-712 type string of the signed struct.</summary>
    public const string EncodedType = "KeyperShare(address market,uint64 batchId,bytes32 sharingHash,uint32 index,bytes32 value)";

    private const int MemberCount = 5;

    /// <summary>Describes the batch that shares are released for.</summary>
    /// <param name="domain">The EIP-712 domain the batch's orders are signed under (the settlement contract's).</param>
    /// <param name="market">The market's on-chain identity, as signed orders name it (<see cref="Sealing.SealedBatchSettings.MarketAddress"/>).</param>
    /// <param name="batchId">The batch's identifier.</param>
    /// <param name="commitments">The sharing of the batch key the shares belong to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> or <paramref name="commitments"/> is null.</exception>
    public KeyperShareContext(Eip712Domain domain, Address market, ulong batchId, FeldmanCommitments commitments)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(commitments);
        Domain = domain;
        Market = market;
        BatchId = batchId;
        Commitments = commitments;
    }

    /// <summary>The type hash, <c>keccak256(EncodedType)</c>.</summary>
    public static Hash32 TypeHash { get; } = Eip712.TypeHash(EncodedType);

    /// <summary>The EIP-712 domain shares are signed under.</summary>
    public Eip712Domain Domain { get; }

    /// <summary>The market's address.</summary>
    public Address Market { get; }

    /// <summary>The batch's identifier.</summary>
    public ulong BatchId { get; }

    /// <summary>The sharing the released shares are checked against.</summary>
    public FeldmanCommitments Commitments { get; }

    /// <summary>The EIP-712 digest keyper <paramref name="index"/> signs to release <paramref name="value"/> for this batch.</summary>
    /// <param name="index">The keyper's index, from 1 to the sharing's <see cref="FeldmanCommitments.KeyperCount"/>.</param>
    /// <param name="value">The 32-byte big-endian share value.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a keyper's index in this sharing.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not 32 bytes long.</exception>
    public Hash32 ComputeDigest(int index, ReadOnlySpan<byte> value)
    {
        RequireKeyper(index, nameof(index));
        if (value.Length != KeyperShare.ValueLength)
        {
            ThrowHelper.ThrowArgumentException_ScalarLength(value.Length, nameof(value));
        }

        return Digest(index, value);
    }

    /// <summary>
    /// Signs a share for release, as keyper <see cref="KeyperShare.Index"/> does with its own registered key.
    /// </summary>
    /// <param name="share">The keyper's share of this sharing.</param>
    /// <param name="keyperPrivateKey">The keyper's 32-byte secp256k1 private key: the key of its registered address.</param>
    /// <returns>The share with its 65-byte signature, ready to send.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="share"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The share's index is beyond the sharing's keyper count.</exception>
    /// <exception cref="ArgumentException"><paramref name="keyperPrivateKey"/> is not a valid private key.</exception>
    public SignedKeyperShare Sign(KeyperShare share, ReadOnlySpan<byte> keyperPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(share);
        RequireKeyper(share.Index, nameof(share));
        Span<byte> digest = stackalloc byte[Hash32.Length];
        Digest(share.Index, share.Value.Span).WriteTo(digest);
        Span<byte> signature = stackalloc byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digest, keyperPrivateKey, signature);
        return new SignedKeyperShare(share.Index, share.Value.Span, signature);
    }

    /// <summary>
    /// Recovers who signed a released share. The caller has checked that its index is a keyper's and its value is
    /// 32 bytes long, the two things the signed struct cannot express otherwise.
    /// </summary>
    internal SignatureStatus RecoverSigner(SignedKeyperShare share, out Address signer)
    {
        Span<byte> digest = stackalloc byte[Hash32.Length];
        Digest(share.Index, share.Value.Span).WriteTo(digest);
        return Secp256k1.RecoverAddress(digest, share.Signature.Span, out signer);
    }

    private void RequireKeyper(int index, string paramName)
    {
        if ((uint)(index - 1) >= (uint)Commitments.KeyperCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange_UnknownKeyper(index, Commitments.KeyperCount, paramName);
        }
    }

    private Hash32 Digest(int index, ReadOnlySpan<byte> value)
    {
        Span<byte> buffer = stackalloc byte[Eip712StructEncoder.BufferSize(MemberCount)];
        var encoder = new Eip712StructEncoder(buffer, TypeHash);
        encoder.AddAddress(Market);
        encoder.AddUInt(BatchId);
        encoder.AddBytes32(Commitments.SharingHash);
        encoder.AddUInt((ulong)index);
        encoder.AddBytes32(new Hash32(value));
        return Eip712.Digest(Domain.Separator, encoder.Hash());
    }
}
