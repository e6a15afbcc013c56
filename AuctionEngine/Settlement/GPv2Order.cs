using System.Buffers.Binary;
using System.Numerics;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Settlement;

/// <summary>Whether a CoW Protocol order fixes what it sells or what it buys (bit 0 of a trade's flags).</summary>
public enum GPv2OrderKind
{
    /// <summary>Sells <see cref="GPv2Order.SellAmount"/> for at least <see cref="GPv2Order.BuyAmount"/>; signed as <c>keccak256("sell")</c>.</summary>
    Sell = 0,

    /// <summary>Buys <see cref="GPv2Order.BuyAmount"/> for at most <see cref="GPv2Order.SellAmount"/>; signed as <c>keccak256("buy")</c>.</summary>
    Buy = 1,
}

/// <summary>Where a CoW Protocol order's tokens come from or go to (bits 2–4 of a trade's flags).</summary>
public enum GPv2TokenBalance
{
    /// <summary>Plain ERC-20 balances and allowances to the vault relayer; signed as <c>keccak256("erc20")</c>.</summary>
    Erc20 = 0,

    /// <summary>ERC-20 balances with the allowance given to the Balancer Vault (sell side only); signed as <c>keccak256("external")</c>.</summary>
    External = 1,

    /// <summary>Balancer Vault internal balances; signed as <c>keccak256("internal")</c>.</summary>
    Internal = 2,
}

/// <summary>
/// A CoW Protocol (Gnosis Protocol v2) order as its owner signs it: the <c>GPv2Order.Data</c> struct, its EIP-712
/// type hash and digest under the <c>"Gnosis Protocol"</c> v2 domain, and its 56-byte order UID.
/// </summary>
/// <remarks>
/// <para>
/// The struct hash is <c>keccak256(abi.encode(TypeHash, sellToken, buyToken, receiver, sellAmount, buyAmount,
/// validTo, appData, feeAmount, kind, partiallyFillable, sellTokenBalance, buyTokenBalance))</c>, where the three
/// <c>string</c> members are signed as the Keccak-256 of their text (<c>"sell"</c>, <c>"buy"</c>, <c>"erc20"</c>,
/// <c>"external"</c>, <c>"internal"</c>): <see cref="KindMarker"/> and <see cref="BalanceMarker"/>. The digest is
/// <c>keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash)</c> with the domain of <see cref="CowSettlement.Domain"/>,
/// and the UID is <c>digest ‖ owner ‖ validTo</c> (32 + 20 + 4 bytes, <c>validTo</c> big-endian), which the settlement
/// contract keys filled amounts and pre-signatures by.
/// </para>
/// <para>A buy balance is <see cref="GPv2TokenBalance.Erc20"/> or <see cref="GPv2TokenBalance.Internal"/>: a trade's flags cannot express an external one.</para>
/// </remarks>
public readonly struct GPv2Order : IEquatable<GPv2Order>
{
    /// <summary>The canonical EIP-712 type string of the order struct.</summary>
    public const string EncodedType =
        "Order(address sellToken,address buyToken,address receiver,uint256 sellAmount,uint256 buyAmount,uint32 validTo,bytes32 appData,uint256 feeAmount,string kind,bool partiallyFillable,string sellTokenBalance,string buyTokenBalance)";

    /// <summary>The number of bytes in an order UID: digest (32), owner (20), validTo (4).</summary>
    public const int UidLength = Hash32.Length + Address.Length + sizeof(uint);

    private const int MemberCount = 12;

    private static readonly Hash32 SellMarker = Eip712.HashString("sell");
    private static readonly Hash32 BuyMarker = Eip712.HashString("buy");
    private static readonly Hash32 Erc20Marker = Eip712.HashString("erc20");
    private static readonly Hash32 ExternalMarker = Eip712.HashString("external");
    private static readonly Hash32 InternalMarker = Eip712.HashString("internal");

    /// <summary>Creates an order.</summary>
    /// <param name="sellToken">The token sold.</param>
    /// <param name="buyToken">The token bought.</param>
    /// <param name="receiver">Who receives the bought tokens; <see cref="Address.Zero"/> means the owner.</param>
    /// <param name="sellAmount">Atoms sold: exactly, for a sell order; at most, for a buy order.</param>
    /// <param name="buyAmount">Atoms bought: at least, for a sell order; exactly, for a buy order.</param>
    /// <param name="validTo">The last Unix time at which the order may be settled.</param>
    /// <param name="appData">Signed data the contract does not interpret; here it makes each order's UID its own.</param>
    /// <param name="feeAmount">Sell-token atoms the order pays as a fee when filled completely.</param>
    /// <param name="kind">Sell or buy.</param>
    /// <param name="partiallyFillable">Whether the order may be filled in parts; otherwise all or nothing.</param>
    /// <param name="sellTokenBalance">Where the sold tokens come from.</param>
    /// <param name="buyTokenBalance">Where the bought tokens go: <see cref="GPv2TokenBalance.Erc20"/> or <see cref="GPv2TokenBalance.Internal"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An amount is negative or above 2^256 − 1, or <paramref name="kind"/> or a balance is not a defined value.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="buyTokenBalance"/> is <see cref="GPv2TokenBalance.External"/>.</exception>
    public GPv2Order(
        Address sellToken,
        Address buyToken,
        Address receiver,
        BigInteger sellAmount,
        BigInteger buyAmount,
        uint validTo,
        Hash32 appData,
        BigInteger feeAmount,
        GPv2OrderKind kind,
        bool partiallyFillable,
        GPv2TokenBalance sellTokenBalance,
        GPv2TokenBalance buyTokenBalance)
    {
        Eip712.ThrowIfNotUInt256(sellAmount, nameof(sellAmount));
        Eip712.ThrowIfNotUInt256(buyAmount, nameof(buyAmount));
        Eip712.ThrowIfNotUInt256(feeAmount, nameof(feeAmount));
        if (kind is not (GPv2OrderKind.Sell or GPv2OrderKind.Buy))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(kind), "An order kind is Sell or Buy.");
        }

        if (sellTokenBalance is not (GPv2TokenBalance.Erc20 or GPv2TokenBalance.External or GPv2TokenBalance.Internal))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(sellTokenBalance), "A token balance is Erc20, External or Internal.");
        }

        if (buyTokenBalance is not (GPv2TokenBalance.Erc20 or GPv2TokenBalance.Internal))
        {
            ThrowHelper.ThrowArgumentException_CowBuyBalance(nameof(buyTokenBalance));
        }

        SellToken = sellToken;
        BuyToken = buyToken;
        Receiver = receiver;
        SellAmount = sellAmount;
        BuyAmount = buyAmount;
        ValidTo = validTo;
        AppData = appData;
        FeeAmount = feeAmount;
        Kind = kind;
        PartiallyFillable = partiallyFillable;
        SellTokenBalance = sellTokenBalance;
        BuyTokenBalance = buyTokenBalance;
    }

    /// <summary>The type hash, <c>keccak256(EncodedType)</c>: <c>0xd5a25ba2…fc17e489</c>.</summary>
    public static Hash32 TypeHash { get; } = Eip712.TypeHash(EncodedType);

    /// <summary>The token sold.</summary>
    public Address SellToken { get; }

    /// <summary>The token bought.</summary>
    public Address BuyToken { get; }

    /// <summary>Who receives the bought tokens; <see cref="Address.Zero"/> means the owner.</summary>
    public Address Receiver { get; }

    /// <summary>Atoms sold: exactly, for a sell order; at most, for a buy order.</summary>
    public BigInteger SellAmount { get; }

    /// <summary>Atoms bought: at least, for a sell order; exactly, for a buy order.</summary>
    public BigInteger BuyAmount { get; }

    /// <summary>The last Unix time at which the order may be settled.</summary>
    public uint ValidTo { get; }

    /// <summary>Signed data the contract does not interpret.</summary>
    public Hash32 AppData { get; }

    /// <summary>Sell-token atoms the order pays as a fee when filled completely.</summary>
    public BigInteger FeeAmount { get; }

    /// <summary>Sell or buy.</summary>
    public GPv2OrderKind Kind { get; }

    /// <summary>Whether the order may be filled in parts.</summary>
    public bool PartiallyFillable { get; }

    /// <summary>Where the sold tokens come from.</summary>
    public GPv2TokenBalance SellTokenBalance { get; }

    /// <summary>Where the bought tokens go.</summary>
    public GPv2TokenBalance BuyTokenBalance { get; }

    /// <summary>The 32-byte value a kind is signed as: <c>keccak256("sell")</c> or <c>keccak256("buy")</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The marker.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static Hash32 KindMarker(GPv2OrderKind kind) => kind switch
    {
        GPv2OrderKind.Sell => SellMarker,
        GPv2OrderKind.Buy => BuyMarker,
        _ => ThrowHelper.ThrowArgumentOutOfRange<Hash32>(nameof(kind), "An order kind is Sell or Buy."),
    };

    /// <summary>The 32-byte value a balance is signed as: <c>keccak256("erc20")</c>, <c>keccak256("external")</c> or <c>keccak256("internal")</c>.</summary>
    /// <param name="balance">The balance.</param>
    /// <returns>The marker.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="balance"/> is not a defined value.</exception>
    public static Hash32 BalanceMarker(GPv2TokenBalance balance) => balance switch
    {
        GPv2TokenBalance.Erc20 => Erc20Marker,
        GPv2TokenBalance.External => ExternalMarker,
        GPv2TokenBalance.Internal => InternalMarker,
        _ => ThrowHelper.ThrowArgumentOutOfRange<Hash32>(nameof(balance), "A token balance is Erc20, External or Internal."),
    };

    /// <summary>The order UID: <c>digest ‖ owner ‖ validTo</c>, 56 bytes.</summary>
    /// <param name="digest">The order's EIP-712 digest (<see cref="ComputeDigest"/>).</param>
    /// <param name="owner">The order's owner, who signed it.</param>
    /// <param name="validTo">The order's <see cref="ValidTo"/>.</param>
    /// <param name="destination">At least <see cref="UidLength"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="UidLength"/> bytes.</exception>
    public static void WriteUid(Hash32 digest, Address owner, uint validTo, Span<byte> destination)
    {
        if (destination.Length < UidLength)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(destination));
        }

        digest.WriteTo(destination);
        owner.WriteTo(destination[Hash32.Length..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(Hash32.Length + Address.Length)..], validTo);
    }

    /// <summary>The struct hash, <c>keccak256(abi.encode(TypeHash, sellToken, …, buyTokenBalance))</c>.</summary>
    /// <returns>The struct hash.</returns>
    public Hash32 ComputeStructHash()
    {
        Span<byte> buffer = stackalloc byte[Eip712StructEncoder.BufferSize(MemberCount)];
        var encoder = new Eip712StructEncoder(buffer, TypeHash);
        encoder.AddAddress(SellToken);
        encoder.AddAddress(BuyToken);
        encoder.AddAddress(Receiver);
        encoder.AddUInt(SellAmount);
        encoder.AddUInt(BuyAmount);
        encoder.AddUInt(ValidTo);
        encoder.AddBytes32(AppData);
        encoder.AddUInt(FeeAmount);
        encoder.AddBytes32(KindMarker(Kind));
        encoder.AddBool(PartiallyFillable);
        encoder.AddBytes32(BalanceMarker(SellTokenBalance));
        encoder.AddBytes32(BalanceMarker(BuyTokenBalance));
        return encoder.Hash();
    }

    /// <summary>The EIP-712 digest the owner signs, under a settlement contract's domain.</summary>
    /// <param name="domain">The domain, from <see cref="CowSettlement.Domain"/>.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is null.</exception>
    public Hash32 ComputeDigest(Eip712Domain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return Eip712.Digest(domain.Separator, ComputeStructHash());
    }

    /// <summary>The order UID under a settlement contract's domain, for an owner.</summary>
    /// <param name="domain">The domain, from <see cref="CowSettlement.Domain"/>.</param>
    /// <param name="owner">The order's owner.</param>
    /// <returns>The 56 bytes <c>digest ‖ owner ‖ validTo</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is null.</exception>
    public byte[] ComputeUid(Eip712Domain domain, Address owner)
    {
        var uid = new byte[UidLength];
        WriteUid(ComputeDigest(domain), owner, ValidTo, uid);
        return uid;
    }

    /// <summary>
    /// The trade flags GPv2 decodes this order's kind, fillability and balances from, with a signing scheme: bit 0 the
    /// kind (1 = buy), bit 1 partially fillable, bits 2–3 the sell balance (00 ERC-20, 10 external, 11 internal),
    /// bit 4 the buy balance (1 = internal), bits 5–6 the scheme.
    /// </summary>
    /// <param name="scheme">How the order was signed.</param>
    /// <returns>The flags.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is not a defined value.</exception>
    public uint TradeFlags(CowSigningScheme scheme)
    {
        if (scheme is not (CowSigningScheme.Eip712 or CowSigningScheme.EthSign or CowSigningScheme.Eip1271 or CowSigningScheme.PreSign))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(scheme), "A signing scheme is Eip712, EthSign, Eip1271 or PreSign.");
        }

        uint flags = Kind == GPv2OrderKind.Buy ? 1u : 0u;
        flags |= PartiallyFillable ? 1u << 1 : 0u;
        flags |= SellTokenBalance switch
        {
            GPv2TokenBalance.External => 0b10u << 2,
            GPv2TokenBalance.Internal => 0b11u << 2,
            _ => 0u,
        };
        flags |= BuyTokenBalance == GPv2TokenBalance.Internal ? 1u << 4 : 0u;
        return flags | ((uint)scheme << 5);
    }

    /// <inheritdoc/>
    public bool Equals(GPv2Order other) =>
        SellToken == other.SellToken && BuyToken == other.BuyToken && Receiver == other.Receiver
        && SellAmount == other.SellAmount && BuyAmount == other.BuyAmount && ValidTo == other.ValidTo
        && AppData == other.AppData && FeeAmount == other.FeeAmount && Kind == other.Kind
        && PartiallyFillable == other.PartiallyFillable && SellTokenBalance == other.SellTokenBalance
        && BuyTokenBalance == other.BuyTokenBalance;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is GPv2Order other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(SellToken);
        hash.Add(BuyToken);
        hash.Add(Receiver);
        hash.Add(SellAmount);
        hash.Add(BuyAmount);
        hash.Add(ValidTo);
        hash.Add(AppData);
        hash.Add(FeeAmount);
        hash.Add(Kind);
        hash.Add(PartiallyFillable);
        hash.Add(SellTokenBalance);
        hash.Add(BuyTokenBalance);
        return hash.ToHashCode();
    }

    /// <summary>Whether two orders have the same terms.</summary>
    /// <param name="left">One order.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether every field is equal.</returns>
    public static bool operator ==(GPv2Order left, GPv2Order right) => left.Equals(right);

    /// <summary>Whether two orders differ in any term.</summary>
    /// <param name="left">One order.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether any field differs.</returns>
    public static bool operator !=(GPv2Order left, GPv2Order right) => !left.Equals(right);
}
