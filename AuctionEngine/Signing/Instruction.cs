using System.Runtime.InteropServices;
using AuctionEngine.Crypto;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Signing;

/// <summary>
/// A standing instruction a trader signs for an <see cref="OrderManager"/>: one value type for every
/// <see cref="InstructionKind"/>, each kind with its own EIP-712 struct.
/// </summary>
/// <remarks>
/// <para>
/// One C# type (rather than one per kind) lets a block's submissions travel as one span that the manager sorts by id,
/// with no boxing; what a wallet shows and signs is still one typed struct per kind, all in the domain of
/// <see cref="SealedOrder"/>:
/// </para>
/// <code>
/// StopInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint8 side,uint8 stopKind,uint256 triggerPrice,uint256 quantity,uint256 limitPrice,uint16 slippageBps,bool reduceOnly)
/// TrailingStopInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint8 side,uint8 stopKind,uint16 trailingBps,uint256 activationPrice,uint256 quantity,uint256 limitPrice,uint16 slippageBps,bool reduceOnly)
/// LimitInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint8 side,uint256 price,uint256 quantity,uint256 displayQuantity,bool reduceOnly)
/// TwapInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint8 side,uint256 quantity,uint32 parts,uint32 blocksPerPart,uint64 startBlock,uint16 toleranceBps,uint256 limitPrice,bool reduceOnly)
/// OcoInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,InstructionLeg first,InstructionLeg second,bool reduceOnly)InstructionLeg(…)
/// BracketInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,InstructionLeg entry,InstructionLeg takeProfit,InstructionLeg stopLoss,bool reduceOnly)InstructionLeg(…)
/// DeltaHedgeInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,int256 targetDelta,uint256 band,uint256 maxQuantity,uint16 toleranceBps,bool reduceOnly)
/// QuoteInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint256 quantity,uint16 halfSpreadBps,uint256 minHalfSpread,uint16 vegaSpreadBps,uint256 vegaUnit,uint16 deltaSpreadBps,uint256 deltaUnit,uint256 maxPosition,bool reduceOnly)
/// </code>
/// <para>
/// Each struct hash is <c>keccak256(abi.encode(TYPEHASH, member, …))</c>: every member one 32-byte big-endian word
/// (addresses left-padded, <c>int256</c> sign-extended two's complement; a nested <see cref="InstructionLeg"/> is its own struct hash). The digest signed
/// (<c>eth_signTypedData_v4</c>) is <c>keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash)</c>, and it is the
/// instruction's id. <c>expiryBlock</c> 0 means none; <c>startBlock</c> 0 means the block after the TWAP arrives;
/// a TWAP's <c>limitPrice</c> 0 means no hard limit; a delta hedge's <c>band</c> 0 hedges any deviation; a quote's
/// <c>maxPosition</c> 0 means no position limit.
/// </para>
/// <para>
/// Every kind ends with <c>bool reduceOnly</c> (a word 0 or 1), so the flag is signed: see <see cref="ReduceOnly"/>.
/// </para>
/// </remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct Instruction
{
    /// <summary>The EIP-712 type string of <see cref="InstructionKind.Stop"/>.</summary>
    public const string StopEncodedType =
        "StopInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint8 side,uint8 stopKind,uint256 triggerPrice,uint256 quantity,uint256 limitPrice,uint16 slippageBps,bool reduceOnly)";

    /// <summary>The EIP-712 type string of <see cref="InstructionKind.TrailingStop"/>.</summary>
    public const string TrailingStopEncodedType =
        "TrailingStopInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint8 side,uint8 stopKind,uint16 trailingBps,uint256 activationPrice,uint256 quantity,uint256 limitPrice,uint16 slippageBps,bool reduceOnly)";

    /// <summary>The EIP-712 type string of <see cref="InstructionKind.Limit"/>.</summary>
    public const string LimitEncodedType =
        "LimitInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint8 side,uint256 price,uint256 quantity,uint256 displayQuantity,bool reduceOnly)";

    /// <summary>The EIP-712 type string of <see cref="InstructionKind.Twap"/>.</summary>
    public const string TwapEncodedType =
        "TwapInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint8 side,uint256 quantity,uint32 parts,uint32 blocksPerPart,uint64 startBlock,uint16 toleranceBps,uint256 limitPrice,bool reduceOnly)";

    /// <summary>The EIP-712 type string of <see cref="InstructionKind.Oco"/>, with its nested leg type appended.</summary>
    public const string OcoEncodedType =
        "OcoInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,InstructionLeg first,InstructionLeg second,bool reduceOnly)" + InstructionLeg.EncodedType;

    /// <summary>The EIP-712 type string of <see cref="InstructionKind.Bracket"/>, with its nested leg type appended.</summary>
    public const string BracketEncodedType =
        "BracketInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,InstructionLeg entry,InstructionLeg takeProfit,InstructionLeg stopLoss,bool reduceOnly)" + InstructionLeg.EncodedType;

    /// <summary>The EIP-712 type string of <see cref="InstructionKind.DeltaHedge"/>.</summary>
    public const string DeltaHedgeEncodedType =
        "DeltaHedgeInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,int256 targetDelta,uint256 band,uint256 maxQuantity,uint16 toleranceBps,bool reduceOnly)";

    /// <summary>The EIP-712 type string of <see cref="InstructionKind.Quote"/>.</summary>
    public const string QuoteEncodedType =
        "QuoteInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint256 quantity,uint16 halfSpreadBps,uint256 minHalfSpread,uint16 vegaSpreadBps,uint256 vegaUnit,uint16 deltaSpreadBps,uint256 deltaUnit,uint256 maxPosition,bool reduceOnly)";

    /// <summary>The largest value of a <c>uint16</c> basis-point member.</summary>
    private const int MaxUInt16 = ushort.MaxValue;

    private const int MaxMemberCount = 13; // a quote's

    private static readonly Hash32 StopTypeHash = Eip712.TypeHash(StopEncodedType);
    private static readonly Hash32 TrailingStopTypeHash = Eip712.TypeHash(TrailingStopEncodedType);
    private static readonly Hash32 LimitTypeHash = Eip712.TypeHash(LimitEncodedType);
    private static readonly Hash32 TwapTypeHash = Eip712.TypeHash(TwapEncodedType);
    private static readonly Hash32 OcoTypeHash = Eip712.TypeHash(OcoEncodedType);
    private static readonly Hash32 BracketTypeHash = Eip712.TypeHash(BracketEncodedType);
    private static readonly Hash32 DeltaHedgeTypeHash = Eip712.TypeHash(DeltaHedgeEncodedType);
    private static readonly Hash32 QuoteTypeHash = Eip712.TypeHash(QuoteEncodedType);

    /// <summary>Which instruction, and so which EIP-712 struct.</summary>
    public InstructionKind Kind { get; init; }

    /// <summary>The account that owns the instruction and must sign it.</summary>
    public Address Trader { get; init; }

    /// <summary>The market's address.</summary>
    public Address Market { get; init; }

    /// <summary>Makes otherwise identical instructions distinct (and so their ids).</summary>
    public UInt128 Nonce { get; init; }

    /// <summary>The last block the instruction may release an order in; 0 for none. A bracket's expiry ends its entry only.</summary>
    public long ExpiryBlock { get; init; }

    /// <summary>The leg of a stop, trailing stop or limit; an OCO's first leg; a bracket's entry.</summary>
    public InstructionLeg First { get; init; }

    /// <summary>An OCO's second leg; a bracket's take-profit.</summary>
    public InstructionLeg Second { get; init; }

    /// <summary>A bracket's stop-loss.</summary>
    public InstructionLeg Third { get; init; }

    /// <summary>
    /// Every order the instruction releases is reduce-only: a venue with positions (<see cref="Venue.PerpetualVenue"/>)
    /// admits it cut down to what reduces the trader's position, never increasing |position|. It is what makes a
    /// standing limit or iceberg, a TWAP's parts or an OCO's legs close a position without ever reversing it; stops,
    /// trailing stops and bracket exits are reduce-only on a perpetual with or without it. On a bracket it makes the
    /// entry reduce-only too. A spot venue ignores it (it has no position to reduce).
    /// </summary>
    /// <remarks>Set it with <c>with { ReduceOnly = true }</c> on what a factory returns; it is the last member of every kind's struct.</remarks>
    public bool ReduceOnly { get; init; }

    /// <summary>A TWAP's side.</summary>
    public Side Side { get; init; }

    /// <summary>A TWAP's quantity in lots; a quote's quantity on each side, in lots.</summary>
    public long Quantity { get; init; }

    /// <summary>A TWAP's hard limit price in ticks (no part buys above it or sells below it); 0 for none.</summary>
    public long LimitPrice { get; init; }

    /// <summary>A TWAP's number of parts, at least 2.</summary>
    public int Parts { get; init; }

    /// <summary>A TWAP's blocks between parts, at least 1.</summary>
    public int BlocksPerPart { get; init; }

    /// <summary>A TWAP's first part's block; 0 for the block after it arrives.</summary>
    public long StartBlock { get; init; }

    /// <summary>
    /// A TWAP's or a delta hedge's tolerance: each part's (each hedge's) limit is the oracle moved against the trader by
    /// this many basis points.
    /// </summary>
    public int ToleranceBps { get; init; }

    /// <summary>A delta hedge's target delta, in the underlying perpetual's lots (signed: positive long, negative short).</summary>
    public long TargetDelta { get; init; }

    /// <summary>
    /// A delta hedge's band in lots: it hedges only when the trader's delta is strictly further than this from
    /// <see cref="TargetDelta"/>; 0 hedges any deviation.
    /// </summary>
    public long Band { get; init; }

    /// <summary>A delta hedge's largest order, in lots.</summary>
    public long MaxQuantity { get; init; }

    /// <summary>A quote's half-spread as basis points of the oracle (fair value), before widening; a <c>uint16</c>.</summary>
    public int HalfSpreadBps { get; init; }

    /// <summary>A quote's smallest half-spread in ticks, before widening.</summary>
    public long MinHalfSpread { get; init; }

    /// <summary>
    /// A quote's widening with vega: basis points of the fair value added to the half-spread per <see cref="VegaUnit"/>
    /// of the trader's |vega|; a <c>uint16</c>.
    /// </summary>
    public int VegaSpreadBps { get; init; }

    /// <summary>The |vega| (quote atoms per 1.00 of volatility) that widens a quote's half-spread by <see cref="VegaSpreadBps"/>; at least 1.</summary>
    public long VegaUnit { get; init; }

    /// <summary>
    /// A quote's widening with delta: basis points of the fair value added to the half-spread per <see cref="DeltaUnit"/>
    /// of the trader's |delta|; a <c>uint16</c>.
    /// </summary>
    public int DeltaSpreadBps { get; init; }

    /// <summary>The |delta| (underlying lots) that widens a quote's half-spread by <see cref="DeltaSpreadBps"/>; at least 1.</summary>
    public long DeltaUnit { get; init; }

    /// <summary>
    /// A quote's position limit in lots, 0 for none: with a known position at or above it the quote posts no bid, at or
    /// below its negative no ask.
    /// </summary>
    public long MaxPosition { get; init; }

    /// <summary>A stop-loss or take-profit.</summary>
    /// <param name="trader">The account that owns it and signs it.</param>
    /// <param name="market">The market's address.</param>
    /// <param name="nonce">Makes otherwise identical instructions distinct.</param>
    /// <param name="expiryBlock">The last block it may release in, or 0 for none.</param>
    /// <param name="leg">A leg made by <see cref="InstructionLeg.Stop"/>.</param>
    /// <returns>The instruction.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiryBlock"/> is negative.</exception>
    public static Instruction Stop(Address trader, Address market, UInt128 nonce, long expiryBlock, InstructionLeg leg) =>
        Single(InstructionKind.Stop, trader, market, nonce, expiryBlock, leg);

    /// <summary>A trailing stop.</summary>
    /// <param name="trader">The account that owns it and signs it.</param>
    /// <param name="market">The market's address.</param>
    /// <param name="nonce">Makes otherwise identical instructions distinct.</param>
    /// <param name="expiryBlock">The last block it may release in, or 0 for none.</param>
    /// <param name="leg">A leg made by <see cref="InstructionLeg.TrailingStop"/>.</param>
    /// <returns>The instruction.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiryBlock"/> is negative.</exception>
    public static Instruction TrailingStop(Address trader, Address market, UInt128 nonce, long expiryBlock, InstructionLeg leg) =>
        Single(InstructionKind.TrailingStop, trader, market, nonce, expiryBlock, leg);

    /// <summary>A standing limit order or iceberg.</summary>
    /// <param name="trader">The account that owns it and signs it.</param>
    /// <param name="market">The market's address.</param>
    /// <param name="nonce">Makes otherwise identical instructions distinct.</param>
    /// <param name="expiryBlock">The last block it may release in, or 0 for none.</param>
    /// <param name="leg">A leg made by <see cref="InstructionLeg.Limit"/>.</param>
    /// <returns>The instruction.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiryBlock"/> is negative.</exception>
    public static Instruction Limit(Address trader, Address market, UInt128 nonce, long expiryBlock, InstructionLeg leg) =>
        Single(InstructionKind.Limit, trader, market, nonce, expiryBlock, leg);

    /// <summary>A TWAP: <paramref name="parts"/> parts, one every <paramref name="blocksPerPart"/> blocks.</summary>
    /// <param name="trader">The account that owns it and signs it.</param>
    /// <param name="market">The market's address.</param>
    /// <param name="nonce">Makes otherwise identical instructions distinct.</param>
    /// <param name="expiryBlock">The last block it may release in, or 0 for none.</param>
    /// <param name="side">Buy or sell.</param>
    /// <param name="quantity">The whole quantity in lots.</param>
    /// <param name="parts">The number of parts, at least 2.</param>
    /// <param name="blocksPerPart">The blocks between parts, at least 1.</param>
    /// <param name="startBlock">The first part's block, or 0 for the block after the TWAP arrives.</param>
    /// <param name="toleranceBps">Each part's limit: the oracle moved against the trader by this many basis points.</param>
    /// <param name="limitPrice">A hard limit no part's limit goes beyond, or 0 for none.</param>
    /// <returns>The instruction.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A field is negative.</exception>
    public static Instruction Twap(
        Address trader, Address market, UInt128 nonce, long expiryBlock, Side side, long quantity, int parts, int blocksPerPart, long startBlock, int toleranceBps, long limitPrice = 0)
    {
        if ((expiryBlock | quantity | (long)parts | (long)blocksPerPart | startBlock | (long)toleranceBps | limitPrice) < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange_NegativeInstructionField();
        }

        return new Instruction
        {
            Kind = InstructionKind.Twap, Trader = trader, Market = market, Nonce = nonce, ExpiryBlock = expiryBlock, Side = side, Quantity = quantity,
            Parts = parts, BlocksPerPart = blocksPerPart, StartBlock = startBlock, ToleranceBps = toleranceBps, LimitPrice = limitPrice,
        };
    }

    /// <summary>One-cancels-the-other: when one leg triggers (a stop) or first fills, the other is cancelled.</summary>
    /// <param name="trader">The account that owns it and signs it.</param>
    /// <param name="market">The market's address.</param>
    /// <param name="nonce">Makes otherwise identical instructions distinct.</param>
    /// <param name="expiryBlock">The last block it may release in, or 0 for none.</param>
    /// <param name="first">The first leg; it wins when both trigger in one block.</param>
    /// <param name="second">The second leg. At most one of the two may be a standing limit.</param>
    /// <returns>The instruction.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiryBlock"/> is negative.</exception>
    public static Instruction Oco(Address trader, Address market, UInt128 nonce, long expiryBlock, InstructionLeg first, InstructionLeg second) =>
        Single(InstructionKind.Oco, trader, market, nonce, expiryBlock, first) with { Second = second };

    /// <summary>A bracket: an entry, and a take-profit and a stop-loss on the other side armed for what the entry fills.</summary>
    /// <param name="trader">The account that owns it and signs it.</param>
    /// <param name="market">The market's address.</param>
    /// <param name="nonce">Makes otherwise identical instructions distinct.</param>
    /// <param name="expiryBlock">The last block the entry may release in, or 0 for none; the exits outlive it while the position is open.</param>
    /// <param name="entry">A standing limit or a stop.</param>
    /// <param name="takeProfit">A take-profit stop on the other side, with the entry's quantity.</param>
    /// <param name="stopLoss">A stop-loss stop on the other side, with the entry's quantity.</param>
    /// <returns>The instruction.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiryBlock"/> is negative.</exception>
    public static Instruction Bracket(Address trader, Address market, UInt128 nonce, long expiryBlock, InstructionLeg entry, InstructionLeg takeProfit, InstructionLeg stopLoss) =>
        Single(InstructionKind.Bracket, trader, market, nonce, expiryBlock, entry) with { Second = takeProfit, Third = stopLoss };

    /// <summary>
    /// A delta hedge: whenever the trader's delta is strictly further than <paramref name="band"/> from
    /// <paramref name="targetDelta"/>, one order back towards the target of at most <paramref name="maxQuantity"/> lots,
    /// at the oracle moved against the trader by <paramref name="toleranceBps"/>; never a second while one is outstanding.
    /// </summary>
    /// <param name="trader">The account that owns it and signs it.</param>
    /// <param name="market">The perpetual market's address (the underlying of the trader's options).</param>
    /// <param name="nonce">Makes otherwise identical instructions distinct.</param>
    /// <param name="expiryBlock">The last block it may release in, or 0 for none.</param>
    /// <param name="targetDelta">The delta to return to, in the perpetual's lots; signed.</param>
    /// <param name="band">How far the delta may stray from the target before it hedges, in lots; 0 hedges any deviation.</param>
    /// <param name="maxQuantity">The largest hedge order, in lots (the manager requires 1 to the market's maximum).</param>
    /// <param name="toleranceBps">Each hedge's limit: the oracle moved against the trader by this many basis points (the manager requires at most 10,000).</param>
    /// <returns>The instruction.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="expiryBlock"/>, <paramref name="band"/>, <paramref name="maxQuantity"/> or <paramref name="toleranceBps"/> is negative, or
    /// <paramref name="toleranceBps"/> is above 65,535 (it is signed as a <c>uint16</c>).
    /// </exception>
    public static Instruction DeltaHedge(Address trader, Address market, UInt128 nonce, long expiryBlock, long targetDelta, long band, long maxQuantity, int toleranceBps)
    {
        if ((expiryBlock | band | maxQuantity | (long)toleranceBps) < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange_NegativeInstructionField();
        }

        if (toleranceBps > MaxUInt16)
        {
            ThrowHelper.ThrowArgumentOutOfRange_UInt16InstructionField(nameof(toleranceBps));
        }

        return new Instruction
        {
            Kind = InstructionKind.DeltaHedge, Trader = trader, Market = market, Nonce = nonce, ExpiryBlock = expiryBlock, TargetDelta = targetDelta, Band = band,
            MaxQuantity = maxQuantity, ToleranceBps = toleranceBps,
        };
    }

    /// <summary>
    /// A quote: a bid and an ask of <paramref name="quantity"/> lots into every batch around the oracle F (an option
    /// series' fair value in premium ticks), at F ∓ h with
    /// <c>h = max(minHalfSpread, ⌈F × halfSpreadBps / 10⁴⌉) + ⌈F × (vegaSpreadBps × |vega| / vegaUnit + deltaSpreadBps × |delta| / deltaUnit) / 10⁴⌉</c>,
    /// the trader's vega and delta as the venue last gave them (<see cref="OrderManager.UpdateExposure"/>).
    /// </summary>
    /// <param name="trader">The account that owns it and signs it.</param>
    /// <param name="market">The option series' market address.</param>
    /// <param name="nonce">Makes otherwise identical instructions distinct.</param>
    /// <param name="expiryBlock">The last block it may release in, or 0 for none.</param>
    /// <param name="quantity">Lots on each side (the manager requires 1 to the market's maximum).</param>
    /// <param name="halfSpreadBps">The half-spread as basis points of the fair value.</param>
    /// <param name="minHalfSpread">The smallest half-spread before widening, in ticks.</param>
    /// <param name="vegaSpreadBps">Basis points of the fair value added per <paramref name="vegaUnit"/> of |vega|.</param>
    /// <param name="vegaUnit">The |vega| that adds <paramref name="vegaSpreadBps"/> (the manager requires at least 1).</param>
    /// <param name="deltaSpreadBps">Basis points of the fair value added per <paramref name="deltaUnit"/> of |delta|.</param>
    /// <param name="deltaUnit">The |delta| that adds <paramref name="deltaSpreadBps"/> (the manager requires at least 1).</param>
    /// <param name="maxPosition">No bid at a known position of at least this, no ask at one of at most its negative; 0 for no limit.</param>
    /// <returns>The instruction.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A field is negative, or a basis-point field is above 65,535 (each is signed as a <c>uint16</c>).
    /// </exception>
    public static Instruction Quote(
        Address trader, Address market, UInt128 nonce, long expiryBlock, long quantity, int halfSpreadBps, long minHalfSpread, int vegaSpreadBps, long vegaUnit,
        int deltaSpreadBps, long deltaUnit, long maxPosition)
    {
        if ((expiryBlock | quantity | (long)halfSpreadBps | minHalfSpread | (long)vegaSpreadBps | vegaUnit | (long)deltaSpreadBps | deltaUnit | maxPosition) < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange_NegativeInstructionField();
        }

        if (halfSpreadBps > MaxUInt16)
        {
            ThrowHelper.ThrowArgumentOutOfRange_UInt16InstructionField(nameof(halfSpreadBps));
        }

        if (vegaSpreadBps > MaxUInt16)
        {
            ThrowHelper.ThrowArgumentOutOfRange_UInt16InstructionField(nameof(vegaSpreadBps));
        }

        if (deltaSpreadBps > MaxUInt16)
        {
            ThrowHelper.ThrowArgumentOutOfRange_UInt16InstructionField(nameof(deltaSpreadBps));
        }

        return new Instruction
        {
            Kind = InstructionKind.Quote, Trader = trader, Market = market, Nonce = nonce, ExpiryBlock = expiryBlock, Quantity = quantity,
            HalfSpreadBps = halfSpreadBps, MinHalfSpread = minHalfSpread, VegaSpreadBps = vegaSpreadBps, VegaUnit = vegaUnit, DeltaSpreadBps = deltaSpreadBps,
            DeltaUnit = deltaUnit, MaxPosition = maxPosition,
        };
    }

    /// <summary>Writes the struct hash of the instruction's kind, without allocating.</summary>
    /// <param name="keccak">The hasher to use; its state is reset first.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keccak"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Kind"/> is not an <see cref="InstructionKind"/>.</exception>
    public void ComputeStructHash(Keccak256 keccak, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(keccak);
        Span<byte> buffer = stackalloc byte[Eip712StructEncoder.BufferSize(MaxMemberCount)];
        Span<byte> leg = stackalloc byte[Keccak256.HashSize];
        var encoder = new Eip712StructEncoder(buffer, Kind switch
        {
            InstructionKind.Stop => StopTypeHash,
            InstructionKind.TrailingStop => TrailingStopTypeHash,
            InstructionKind.Limit => LimitTypeHash,
            InstructionKind.Twap => TwapTypeHash,
            InstructionKind.Oco => OcoTypeHash,
            InstructionKind.Bracket => BracketTypeHash,
            InstructionKind.DeltaHedge => DeltaHedgeTypeHash,
            InstructionKind.Quote => QuoteTypeHash,
            _ => ThrowHelper.ThrowInvalidOperation_UnknownInstructionKind<Hash32>(),
        });
        encoder.AddAddress(Trader);
        encoder.AddAddress(Market);
        encoder.AddUInt(Nonce);
        encoder.AddUInt((ulong)ExpiryBlock);
        switch (Kind)
        {
            case InstructionKind.Stop:
                encoder.AddUInt((ulong)First.Side);
                encoder.AddUInt((ulong)First.StopKind);
                encoder.AddUInt((ulong)First.Price);
                encoder.AddUInt((ulong)First.Quantity);
                encoder.AddUInt((ulong)First.LimitPrice);
                encoder.AddUInt((ulong)First.SlippageBps);
                break;
            case InstructionKind.TrailingStop:
                encoder.AddUInt((ulong)First.Side);
                encoder.AddUInt((ulong)First.StopKind);
                encoder.AddUInt((ulong)First.TrailingBps);
                encoder.AddUInt((ulong)First.Price);
                encoder.AddUInt((ulong)First.Quantity);
                encoder.AddUInt((ulong)First.LimitPrice);
                encoder.AddUInt((ulong)First.SlippageBps);
                break;
            case InstructionKind.Limit:
                encoder.AddUInt((ulong)First.Side);
                encoder.AddUInt((ulong)First.Price);
                encoder.AddUInt((ulong)First.Quantity);
                encoder.AddUInt((ulong)First.DisplayQuantity);
                break;
            case InstructionKind.Twap:
                encoder.AddUInt((ulong)Side);
                encoder.AddUInt((ulong)Quantity);
                encoder.AddUInt((ulong)Parts);
                encoder.AddUInt((ulong)BlocksPerPart);
                encoder.AddUInt((ulong)StartBlock);
                encoder.AddUInt((ulong)ToleranceBps);
                encoder.AddUInt((ulong)LimitPrice);
                break;
            case InstructionKind.DeltaHedge:
                encoder.AddInt(TargetDelta);
                encoder.AddUInt((ulong)Band);
                encoder.AddUInt((ulong)MaxQuantity);
                encoder.AddUInt((ulong)ToleranceBps);
                break;
            case InstructionKind.Quote:
                encoder.AddUInt((ulong)Quantity);
                encoder.AddUInt((ulong)HalfSpreadBps);
                encoder.AddUInt((ulong)MinHalfSpread);
                encoder.AddUInt((ulong)VegaSpreadBps);
                encoder.AddUInt((ulong)VegaUnit);
                encoder.AddUInt((ulong)DeltaSpreadBps);
                encoder.AddUInt((ulong)DeltaUnit);
                encoder.AddUInt((ulong)MaxPosition);
                break;
            default:
                First.ComputeStructHash(keccak, leg);
                encoder.AddBytes32(new Hash32(leg));
                Second.ComputeStructHash(keccak, leg);
                encoder.AddBytes32(new Hash32(leg));
                if (Kind == InstructionKind.Bracket)
                {
                    Third.ComputeStructHash(keccak, leg);
                    encoder.AddBytes32(new Hash32(leg));
                }

                break;
        }

        encoder.AddBool(ReduceOnly);
        encoder.Hash(keccak, destination);
    }

    /// <summary>Writes the EIP-712 digest the trader signs (the instruction's id), without allocating.</summary>
    /// <param name="domain">The signing domain, the one orders use.</param>
    /// <param name="keccak">The hasher to use, created once and reused; its state is reset first.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> or <paramref name="keccak"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Kind"/> is not an <see cref="InstructionKind"/>.</exception>
    public void ComputeDigest(Eip712Domain domain, Keccak256 keccak, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(keccak);
        Span<byte> structHash = stackalloc byte[Keccak256.HashSize];
        ComputeStructHash(keccak, structHash);
        Eip712.Digest(keccak, domain.Separator, new Hash32(structHash), destination);
    }

    /// <summary>The EIP-712 digest the trader signs, which is also the instruction's id.</summary>
    /// <param name="domain">The signing domain.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Kind"/> is not an <see cref="InstructionKind"/>.</exception>
    public Hash32 ComputeDigest(Eip712Domain domain)
    {
        Span<byte> digest = stackalloc byte[Keccak256.HashSize];
        ComputeDigest(domain, Keccak256.PerThread, digest);
        return new Hash32(digest);
    }

    private static Instruction Single(InstructionKind kind, Address trader, Address market, UInt128 nonce, long expiryBlock, InstructionLeg leg)
    {
        if (expiryBlock < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange_NegativeInstructionField();
        }

        return new Instruction { Kind = kind, Trader = trader, Market = market, Nonce = nonce, ExpiryBlock = expiryBlock, First = leg };
    }
}
