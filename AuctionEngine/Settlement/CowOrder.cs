using System.Numerics;
using AuctionEngine.Abi;
using AuctionEngine.Crypto;
using AuctionEngine.Markets;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Settlement;

/// <summary>
/// One engine order as a CoW Protocol order: the GPv2 terms its trader signs, its owner, digest and UID, the
/// signatures and pre-signature call of each scheme, and the trade a solver submits once the batch has cleared.
/// Made by <see cref="CowSettlement.Order"/>.
/// </summary>
/// <remarks>
/// <para>
/// Signing schemes, as <c>GPv2Signing</c> recovers the owner:
/// <see cref="CowSigningScheme.Eip712"/>, the owner's 65-byte <c>r ‖ s ‖ v</c> signature of <see cref="Digest"/>
/// (<see cref="SignEip712"/>); <see cref="CowSigningScheme.EthSign"/>, the same over
/// <c>keccak256("\x19Ethereum Signed Message:\n32" ‖ digest)</c> (<see cref="SignEthSign"/>);
/// <see cref="CowSigningScheme.PreSign"/>, no signature at all: the owner first sends
/// <see cref="SetPreSignatureCalldata"/> to the settlement contract itself, and the trade carries only the owner's
/// address; <see cref="CowSigningScheme.Eip1271"/>, for an owner that is a contract: the trade carries the owner's
/// address followed by whatever bytes the owner's <c>isValidSignature(digest, bytes)</c> accepts (it must return
/// <c>0x1626ba7e</c>); the library cannot produce those bytes, which are the owner contract's business.
/// </para>
/// <para>
/// Every order is partially fillable (a rationed order trades part of its quantity) and valid only until the
/// <c>validTo</c> it was made with, which should end with its batch: once that time has passed, the unfilled rest
/// can never be settled. Its <c>appData</c> is the sealed order's EIP-712 digest, so two equal orders of one trader
/// (which differ in their nonce) have different UIDs and are filled separately.
/// </para>
/// </remarks>
public sealed class CowOrder
{
    // "\u0019", not "\x19": C#'s \x takes up to four hex digits and would swallow the "E".
    private const string EthSignPrefix = "\u0019Ethereum Signed Message:\n32";
    private const int BaseIndex = 0;
    private const int QuoteIndex = 1;

    private readonly byte[] _uid;
    private readonly UInt128 _lotSize;

    internal CowOrder(GPv2Order order, Address owner, long quantity, UInt128 lotSize, Eip712Domain domain)
    {
        Order = order;
        Owner = owner;
        Quantity = quantity;
        _lotSize = lotSize;
        Domain = domain;
        Digest = order.ComputeDigest(domain);
        _uid = new byte[GPv2Order.UidLength];
        GPv2Order.WriteUid(Digest, owner, order.ValidTo, _uid);
    }

    /// <summary><c>setPreSignature(bytes orderUid, bool signed)</c> of <c>GPv2Settlement</c>; only the UID's owner may send it.</summary>
    public static AbiFunction SetPreSignature { get; } = AbiFunction.Parse("setPreSignature(bytes,bool)");

    /// <summary>The terms the trader signs.</summary>
    public GPv2Order Order { get; }

    /// <summary>The order's owner: the engine order's trader, who signs it and whose tokens move.</summary>
    public Address Owner { get; }

    /// <summary>The engine order's quantity in lots: the most a trade of this order can fill.</summary>
    public long Quantity { get; }

    /// <summary>The settlement contract's domain the order is signed under.</summary>
    public Eip712Domain Domain { get; }

    /// <summary>The order's EIP-712 digest under <see cref="Domain"/>.</summary>
    public Hash32 Digest { get; }

    /// <summary>The 56-byte order UID, <c>digest ‖ owner ‖ validTo</c>.</summary>
    public ReadOnlyMemory<byte> Uid => _uid;

    /// <summary>The owner's EIP-712 signature of the order, 65 bytes <c>r ‖ s ‖ v</c> (v 27 or 28, low s), signed in constant time.</summary>
    /// <param name="privateKey">The owner's 32-byte private key.</param>
    /// <returns>The signature a trade with <see cref="CowSigningScheme.Eip712"/> carries.</returns>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not a valid private key, or not the owner's.</exception>
    public byte[] SignEip712(ReadOnlySpan<byte> privateKey) => SignDigest(Digest, privateKey);

    /// <summary>The owner's <c>eth_sign</c> (EIP-191) signature of the order's digest, 65 bytes <c>r ‖ s ‖ v</c>.</summary>
    /// <param name="privateKey">The owner's 32-byte private key.</param>
    /// <returns>The signature a trade with <see cref="CowSigningScheme.EthSign"/> carries.</returns>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not a valid private key, or not the owner's.</exception>
    public byte[] SignEthSign(ReadOnlySpan<byte> privateKey)
    {
        Span<byte> message = stackalloc byte[EthSignPrefix.Length + Hash32.Length];
        for (int i = 0; i < EthSignPrefix.Length; i++)
        {
            message[i] = (byte)EthSignPrefix[i];
        }

        Digest.WriteTo(message[EthSignPrefix.Length..]);
        return SignDigest(Keccak256.Hash(message), privateKey);
    }

    /// <summary>The calldata the owner sends to the settlement contract to pre-sign (or revoke) the order.</summary>
    /// <param name="preSigned">True to pre-sign, false to revoke the pre-signature.</param>
    /// <returns><c>setPreSignature(uid, preSigned)</c>, selector first.</returns>
    public byte[] SetPreSignatureCalldata(bool preSigned = true) =>
        SetPreSignature.EncodeCall(AbiValue.FromBytes(_uid), AbiValue.FromBool(preSigned));

    /// <summary>
    /// The trade a solver submits for this order when it fills <paramref name="filledLots"/> lots: the signed terms,
    /// the signature encoded as <paramref name="scheme"/> requires, and the executed amount (base atoms, which is
    /// what a sell order sells and a buy order buys).
    /// </summary>
    /// <param name="filledLots">The lots the engine filled, from 0 to <see cref="Quantity"/>.</param>
    /// <param name="scheme">How the owner signed.</param>
    /// <param name="signature">
    /// For <see cref="CowSigningScheme.Eip712"/> and <see cref="CowSigningScheme.EthSign"/> the 65-byte signature; for
    /// <see cref="CowSigningScheme.Eip1271"/> the bytes the owner contract verifies (the owner's address is put in
    /// front); for <see cref="CowSigningScheme.PreSign"/> nothing (the trade carries the owner's address).
    /// </param>
    /// <returns>The trade.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="filledLots"/> is negative or above <see cref="Quantity"/>, or <paramref name="scheme"/> is not a defined value.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="signature"/> does not have the length its scheme needs.</exception>
    public CowTrade Trade(long filledLots, CowSigningScheme scheme, ReadOnlySpan<byte> signature)
    {
        if ((ulong)filledLots > (ulong)Quantity)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(filledLots), "A trade fills from 0 to the order's quantity.");
        }

        uint flags = Order.TradeFlags(scheme);
        byte[] encoded = EncodeSignature(scheme, signature);
        BigInteger executed = (BigInteger)filledLots * (BigInteger)_lotSize;
        bool sellsBase = Order.Kind == GPv2OrderKind.Sell;
        var terms = new CowOrderTerms(Order.Receiver, Order.ValidTo, Order.AppData, scheme, encoded);
        return new CowTrade(
            sellsBase ? BaseIndex : QuoteIndex,
            sellsBase ? QuoteIndex : BaseIndex,
            Order.SellAmount,
            Order.BuyAmount,
            flags,
            executed,
            terms);
    }

    private byte[] EncodeSignature(CowSigningScheme scheme, ReadOnlySpan<byte> signature)
    {
        switch (scheme)
        {
            case CowSigningScheme.Eip712 or CowSigningScheme.EthSign:
                if (signature.Length != Secp256k1.SignatureSize)
                {
                    ThrowHelper.ThrowArgumentException_CowSignature(scheme.ToString(), "65 bytes, r ‖ s ‖ v", nameof(signature));
                }

                return signature.ToArray();
            case CowSigningScheme.PreSign:
                if (!signature.IsEmpty)
                {
                    ThrowHelper.ThrowArgumentException_CowSignature(scheme.ToString(), "empty: the trade carries the owner's address", nameof(signature));
                }

                var owner = new byte[Address.Length];
                Owner.WriteTo(owner);
                return owner;
            default:
                var withOwner = new byte[Address.Length + signature.Length];
                Owner.WriteTo(withOwner);
                signature.CopyTo(withOwner.AsSpan(Address.Length));
                return withOwner;
        }
    }

    private byte[] SignDigest(Hash32 digest, ReadOnlySpan<byte> privateKey)
    {
        if (!Secp256k1.IsValidPrivateKey(privateKey) || Secp256k1.AddressFromPrivateKey(privateKey) != Owner)
        {
            ThrowHelper.ThrowArgumentException_NotOwnersKey(nameof(privateKey));
        }

        Span<byte> digestBytes = stackalloc byte[Hash32.Length];
        digest.WriteTo(digestBytes);
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digestBytes, privateKey, signature);
        return signature;
    }
}
