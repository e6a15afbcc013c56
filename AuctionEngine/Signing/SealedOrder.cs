using System.Text.Json.Serialization;
using AuctionEngine.Crypto;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Serialization;

namespace AuctionEngine.Signing;

/// <summary>
/// The order a trader signs for a sealed batch, as the EIP-712 struct
/// <c>SealedOrder(address trader,address market,uint64 batchId,uint8 side,uint8 orderType,uint256 limitPrice,uint256 quantity,uint256 nonce)</c>.
/// </summary>
/// <remarks>
/// <para>
/// The digest a wallet signs (<c>eth_signTypedData_v4</c>) and a contract recomputes is
/// <c>keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash)</c> with
/// </para>
/// <code>
/// bytes32 constant SEALED_ORDER_TYPEHASH = keccak256(
///     "SealedOrder(address trader,address market,uint64 batchId,uint8 side,uint8 orderType,uint256 limitPrice,uint256 quantity,uint256 nonce)");
/// bytes32 structHash = keccak256(abi.encode(
///     SEALED_ORDER_TYPEHASH, trader, market, batchId, side, orderType, limitPrice, quantity, nonce));
/// bytes32 digest = _hashTypedDataV4(structHash); // OpenZeppelin EIP712, or keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash))
/// </code>
/// <para>
/// That is nine 32-byte words, each a big-endian number left-padded with zeros: the type hash; the trader and market
/// addresses (12 zero bytes, then 20 address bytes); the batch id; side as 1 = buy, 2 = sell (<see cref="Orders.Side"/>);
/// order type as 0 = limit, 1 = market (<see cref="OrderType"/>); the limit price in ticks, which for a market order is
/// its signed worst price (the most a buy pays, the least a sell accepts: its slippage bound);
/// the quantity in lots; the nonce. The domain is an <see cref="Eip712Domain"/>.
/// </para>
/// </remarks>
[JsonConverter(typeof(SealedOrderJsonConverter))]
public readonly struct SealedOrder : IEquatable<SealedOrder>
{
    /// <summary>The canonical EIP-712 type string of the struct.</summary>
    public const string EncodedType =
        "SealedOrder(address trader,address market,uint64 batchId,uint8 side,uint8 orderType,uint256 limitPrice,uint256 quantity,uint256 nonce)";

    private const int MemberCount = 8;

    /// <summary>Creates a sealed order.</summary>
    /// <param name="trader">The account that owns the order and must sign it.</param>
    /// <param name="market">The market's address (the identifier the settlement contract uses).</param>
    /// <param name="batchId">The batch the order is for; a signature is good for this batch only.</param>
    /// <param name="side">Buy or sell. Not validated: the clearing engine rejects an unknown side per order.</param>
    /// <param name="type">Limit or market. Not validated, like <paramref name="side"/>.</param>
    /// <param name="limitPrice">The limit price in ticks; for a market order, its worst price (a buy pays at most this, a sell receives at least this).</param>
    /// <param name="quantity">The quantity in lots.</param>
    /// <param name="nonce">Makes otherwise identical orders distinct, and lets a contract refuse a replay.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="limitPrice"/> or <paramref name="quantity"/> is negative, which a <c>uint256</c> cannot hold.
    /// </exception>
    public SealedOrder(Address trader, Address market, ulong batchId, Side side, OrderType type, long limitPrice, long quantity, UInt128 nonce)
    {
        if (limitPrice < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(limitPrice), "A signed limit price is a uint256 and cannot be negative.");
        }

        if (quantity < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(quantity), "A signed quantity is a uint256 and cannot be negative.");
        }

        Trader = trader;
        Market = market;
        BatchId = batchId;
        Side = side;
        Type = type;
        LimitPrice = limitPrice;
        Quantity = quantity;
        Nonce = nonce;
    }

    /// <summary>The type hash, <c>keccak256(EncodedType)</c>.</summary>
    public static Hash32 TypeHash { get; } = Eip712.TypeHash(EncodedType);

    /// <summary>The account that owns the order and must sign it.</summary>
    public Address Trader { get; }

    /// <summary>The market's address.</summary>
    public Address Market { get; }

    /// <summary>The batch the order is for.</summary>
    public ulong BatchId { get; }

    /// <summary>Buy or sell.</summary>
    public Side Side { get; }

    /// <summary>Limit or market.</summary>
    public OrderType Type { get; }

    /// <summary>The limit price in ticks; for a market order, its signed worst price.</summary>
    public long LimitPrice { get; }

    /// <summary>The quantity in lots.</summary>
    public long Quantity { get; }

    /// <summary>Makes otherwise identical orders distinct.</summary>
    public UInt128 Nonce { get; }

    /// <summary>Writes the struct hash, <c>keccak256(abi.encode(TypeHash, trader, …, nonce))</c>, without allocating.</summary>
    /// <param name="keccak">The hasher to use; its state is reset first.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keccak"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void ComputeStructHash(Keccak256 keccak, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[Eip712StructEncoder.BufferSize(MemberCount)];
        var encoder = new Eip712StructEncoder(buffer, TypeHash);
        encoder.AddAddress(Trader);
        encoder.AddAddress(Market);
        encoder.AddUInt(BatchId);
        encoder.AddUInt((ulong)Side);
        encoder.AddUInt((ulong)Type);
        encoder.AddUInt((ulong)LimitPrice);
        encoder.AddUInt((ulong)Quantity);
        encoder.AddUInt(Nonce);
        encoder.Hash(keccak, destination);
    }

    /// <summary>Writes the EIP-712 digest the trader signs, without allocating.</summary>
    /// <param name="domain">The signing domain.</param>
    /// <param name="keccak">The hasher to use, created once and reused; its state is reset first.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> or <paramref name="keccak"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void ComputeDigest(Eip712Domain domain, Keccak256 keccak, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(keccak);
        Span<byte> structHash = stackalloc byte[Keccak256.HashSize];
        ComputeStructHash(keccak, structHash);
        Eip712.Digest(keccak, domain.Separator, new Hash32(structHash), destination);
    }

    /// <summary>The EIP-712 digest the trader signs.</summary>
    /// <param name="domain">The signing domain.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is null.</exception>
    public Hash32 ComputeDigest(Eip712Domain domain)
    {
        Span<byte> digest = stackalloc byte[Keccak256.HashSize];
        ComputeDigest(domain, Keccak256.PerThread, digest);
        return new Hash32(digest);
    }

    /// <inheritdoc/>
    public bool Equals(SealedOrder other) =>
        Trader == other.Trader && Market == other.Market && BatchId == other.BatchId && Side == other.Side &&
        Type == other.Type && LimitPrice == other.LimitPrice && Quantity == other.Quantity && Nonce == other.Nonce;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SealedOrder other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Trader, Market, BatchId, Side, Type, LimitPrice, Quantity, Nonce);

    /// <summary>Member-wise equality.</summary>
    public static bool operator ==(SealedOrder left, SealedOrder right) => left.Equals(right);

    /// <summary>Member-wise inequality.</summary>
    public static bool operator !=(SealedOrder left, SealedOrder right) => !left.Equals(right);
}
