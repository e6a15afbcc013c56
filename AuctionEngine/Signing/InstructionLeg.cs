using System.Runtime.InteropServices;
using AuctionEngine.Crypto;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Signing;

/// <summary>
/// One leg of an instruction: a stop, a trailing stop or a standing limit. As its own EIP-712 struct it is the nested
/// <c>InstructionLeg(uint8 legType,uint8 side,uint8 stopKind,uint256 price,uint256 quantity,uint256 limitPrice,uint16 slippageBps,uint16 trailingBps,uint256 displayQuantity)</c>
/// of OCOs and brackets.
/// </summary>
/// <remarks>
/// <para>Field by leg type (fields a type does not use are 0):</para>
/// <list type="table">
/// <listheader><term>field</term><description>stop / trailing stop / limit</description></listheader>
/// <item><term><c>legType</c></term><description>1 / 2 / 3 (<see cref="Management.LegType"/>)</description></item>
/// <item><term><c>side</c></term><description>1 = buy, 2 = sell</description></item>
/// <item><term><c>stopKind</c></term><description>1 = stop-loss, 2 = take-profit / same / 0</description></item>
/// <item><term><c>price</c></term><description>the trigger price / the activation price, 0 for none / the limit price</description></item>
/// <item><term><c>quantity</c></term><description>lots</description></item>
/// <item><term><c>limitPrice</c></term><description>the released orders' limit, 0 for the market variant / same / 0</description></item>
/// <item><term><c>slippageBps</c></term><description>the market variant's slippage from the triggering oracle / same / 0</description></item>
/// <item><term><c>trailingBps</c></term><description>0 / the trailing distance / 0</description></item>
/// <item><term><c>displayQuantity</c></term><description>0 / 0 / the iceberg's shown lots, 0 for all</description></item>
/// </list>
/// </remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct InstructionLeg
{
    /// <summary>The canonical EIP-712 type string of the struct.</summary>
    public const string EncodedType =
        "InstructionLeg(uint8 legType,uint8 side,uint8 stopKind,uint256 price,uint256 quantity,uint256 limitPrice,uint16 slippageBps,uint16 trailingBps,uint256 displayQuantity)";

    /// <summary>The slippage a market-variant stop uses when none is given: 1,000 basis points (10 %).</summary>
    public const int DefaultSlippageBps = 1_000;

    private const int MemberCount = 9;

    /// <summary>The type hash, <c>keccak256(EncodedType)</c>.</summary>
    public static Hash32 TypeHash { get; } = Eip712.TypeHash(EncodedType);

    /// <summary>Stop, trailing stop or limit.</summary>
    public LegType Type { get; init; }

    /// <summary>Buy or sell.</summary>
    public Side Side { get; init; }

    /// <summary>Stop-loss or take-profit, for a stop or trailing stop.</summary>
    public StopKind StopKind { get; init; }

    /// <summary>The trigger price (stop), the activation price or 0 (trailing stop), or the limit price (limit), in ticks.</summary>
    public long Price { get; init; }

    /// <summary>The quantity in lots.</summary>
    public long Quantity { get; init; }

    /// <summary>A stop's released limit in ticks; 0 for the market variant (the triggering oracle moved by <see cref="SlippageBps"/>).</summary>
    public long LimitPrice { get; init; }

    /// <summary>The market variant's slippage in basis points, 0..10,000.</summary>
    public int SlippageBps { get; init; }

    /// <summary>A trailing stop's distance from the extreme in basis points, 1..9,999.</summary>
    public int TrailingBps { get; init; }

    /// <summary>An iceberg's shown lots per batch; 0 shows the whole remainder.</summary>
    public long DisplayQuantity { get; init; }

    /// <summary>A stop-loss or take-profit.</summary>
    /// <param name="side">Buy or sell.</param>
    /// <param name="kind">Stop-loss or take-profit.</param>
    /// <param name="triggerPrice">The oracle price that triggers it, inclusively, in ticks.</param>
    /// <param name="quantity">The quantity in lots.</param>
    /// <param name="limitPrice">The released orders' limit in ticks, or 0 for the market variant.</param>
    /// <param name="slippageBps">The market variant's slippage from the triggering oracle, in basis points.</param>
    /// <returns>The leg.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A price, quantity or basis-point value is negative (a <c>uint</c> cannot hold it).</exception>
    public static InstructionLeg Stop(Side side, StopKind kind, long triggerPrice, long quantity, long limitPrice = 0, int slippageBps = DefaultSlippageBps)
    {
        ThrowIfNegative(triggerPrice, quantity, limitPrice, slippageBps, 0, 0);
        return new InstructionLeg
        {
            Type = LegType.Stop, Side = side, StopKind = kind, Price = triggerPrice, Quantity = quantity, LimitPrice = limitPrice, SlippageBps = slippageBps,
        };
    }

    /// <summary>A trailing stop.</summary>
    /// <param name="side">Buy or sell: a sell trails the highest oracle, a buy the lowest.</param>
    /// <param name="kind">Stop-loss or take-profit; with the side it decides the activation's direction.</param>
    /// <param name="trailingBps">The distance from the extreme that triggers it, in basis points.</param>
    /// <param name="quantity">The quantity in lots.</param>
    /// <param name="activationPrice">The oracle price that starts the tracking, inclusively, or 0 to start at the first usable observation.</param>
    /// <param name="limitPrice">The released orders' limit in ticks, or 0 for the market variant.</param>
    /// <param name="slippageBps">The market variant's slippage from the triggering oracle, in basis points.</param>
    /// <returns>The leg.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A price, quantity or basis-point value is negative.</exception>
    public static InstructionLeg TrailingStop(Side side, StopKind kind, int trailingBps, long quantity, long activationPrice = 0, long limitPrice = 0, int slippageBps = DefaultSlippageBps)
    {
        ThrowIfNegative(activationPrice, quantity, limitPrice, slippageBps, trailingBps, 0);
        return new InstructionLeg
        {
            Type = LegType.TrailingStop, Side = side, StopKind = kind, Price = activationPrice, Quantity = quantity, LimitPrice = limitPrice,
            SlippageBps = slippageBps, TrailingBps = trailingBps,
        };
    }

    /// <summary>A standing limit order, or an iceberg when <paramref name="displayQuantity"/> is below the quantity.</summary>
    /// <param name="side">Buy or sell.</param>
    /// <param name="price">The limit price in ticks.</param>
    /// <param name="quantity">The quantity in lots.</param>
    /// <param name="displayQuantity">The lots released per batch, or 0 for the whole remainder.</param>
    /// <returns>The leg.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A price or quantity is negative.</exception>
    public static InstructionLeg Limit(Side side, long price, long quantity, long displayQuantity = 0)
    {
        ThrowIfNegative(price, quantity, 0, 0, 0, displayQuantity);
        return new InstructionLeg { Type = LegType.Limit, Side = side, Price = price, Quantity = quantity, DisplayQuantity = displayQuantity };
    }

    /// <summary>Writes the leg's struct hash, <c>keccak256(abi.encode(TypeHash, legType, …, displayQuantity))</c>, without allocating.</summary>
    /// <param name="keccak">The hasher to use; its state is reset first.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keccak"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void ComputeStructHash(Keccak256 keccak, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[Eip712StructEncoder.BufferSize(MemberCount)];
        var encoder = new Eip712StructEncoder(buffer, TypeHash);
        encoder.AddUInt((ulong)Type);
        encoder.AddUInt((ulong)Side);
        encoder.AddUInt((ulong)StopKind);
        encoder.AddUInt((ulong)Price);
        encoder.AddUInt((ulong)Quantity);
        encoder.AddUInt((ulong)LimitPrice);
        encoder.AddUInt((ulong)SlippageBps);
        encoder.AddUInt((ulong)TrailingBps);
        encoder.AddUInt((ulong)DisplayQuantity);
        encoder.Hash(keccak, destination);
    }

    internal static void ThrowIfNegative(long price, long quantity, long limitPrice, int slippageBps, int trailingBps, long displayQuantity)
    {
        if ((price | quantity | limitPrice | displayQuantity | (long)slippageBps | (long)trailingBps) < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange_NegativeInstructionField();
        }
    }
}
