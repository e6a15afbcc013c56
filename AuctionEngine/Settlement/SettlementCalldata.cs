using System.Buffers;
using AuctionEngine.Abi;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;

namespace AuctionEngine.Settlement;

/// <summary>
/// Writes the calldata of the reference settlement contract (<c>samples/contracts/AuctionSettlement.sol</c>, whose
/// ABI is <c>AuctionSettlement.abi.json</c>): <c>commit(bytes32)</c> for each sealed order, and <c>settle</c> for a
/// cleared batch. Reuse one instance: after the output buffer has grown, writing allocates nothing.
/// </summary>
/// <remarks>
/// <c>settle(uint64 batchId, uint256 price, Fill[] fills)</c> with
/// <c>Fill = ((address trader, uint8 side, uint8 orderType, uint256 limitPrice, uint256 quantity, uint256 nonce) order, bytes32 salt, bytes signature, uint256 lots, bytes ciphertext)</c>.
/// The contract's batch id is the block its commitments were registered in, and the market an order signs is the
/// contract's own address, so a <see cref="Sealing.SealedBatch"/> settled through it uses those. Not thread-safe.
/// </remarks>
public sealed class SettlementCalldata
{
    /// <summary>A fill's head: the order's six words, the salt, the signature's offset, the lots, the ciphertext's offset.</summary>
    private const int FillHeadWords = 10;

    private readonly AbiWriter _writer = new();

    /// <summary><c>commit(bytes32)</c>.</summary>
    public static AbiFunction Commit { get; } = AbiFunction.Parse("commit(bytes32)");

    /// <summary>The contract's <c>settle</c> function.</summary>
    public static AbiFunction Settle { get; } =
        AbiFunction.Parse("settle(uint64,uint256,((address,uint8,uint8,uint256,uint256,uint256),bytes32,bytes,uint256,bytes)[])");

    /// <summary>Writes <c>commit(commitment)</c>, the transaction a trader sends in the batch's block.</summary>
    /// <param name="output">Receives the 36 bytes of calldata.</param>
    /// <param name="commitment">The order's commitment.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    public void WriteCommit(IBufferWriter<byte> output, Hash32 commitment)
    {
        _writer.Reset(output);
        _writer.WriteSelector(Commit.Selector);
        _writer.WriteBytes32(commitment);
    }

    /// <summary>Writes <c>settle(batchId, price, fills)</c> for a cleared batch.</summary>
    /// <param name="output">Receives the calldata.</param>
    /// <param name="batchId">The block the batch's commitments were registered in.</param>
    /// <param name="price">The uniform clearing price in ticks.</param>
    /// <param name="fills">The orders that trade, each with its lots.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="fills"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="price"/> is negative.</exception>
    public void WriteSettle(IBufferWriter<byte> output, ulong batchId, long price, IReadOnlyList<SettlementFill> fills)
    {
        ArgumentNullException.ThrowIfNull(fills);
        ArgumentOutOfRangeException.ThrowIfNegative(price);
        int signatureTail = AbiWriter.BytesTailLength(Secp256k1.SignatureSize);
        int fillsTail = AbiType.WordSize;
        for (int i = 0; i < fills.Count; i++)
        {
            fillsTail += AbiType.WordSize + FillLength(fills[i], signatureTail);
        }

        _writer.Reset(output);
        _writer.WriteSelector(Settle.Selector);
        _writer.BeginTuple(headWords: 3);
        _writer.WriteUInt(batchId);
        _writer.WriteUInt((ulong)price);
        _writer.WriteOffset(fillsTail);
        _writer.WriteLength(fills.Count);
        if (fills.Count > 0)
        {
            // The fills are dynamic (they hold bytes), so the array's head is one offset per fill.
            _writer.BeginTuple(headWords: fills.Count);
            for (int i = 0; i < fills.Count; i++)
            {
                _writer.WriteOffset(FillLength(fills[i], signatureTail));
            }

            for (int i = 0; i < fills.Count; i++)
            {
                WriteFill(fills[i], signatureTail);
            }

            _writer.EndTuple();
        }

        _writer.EndTuple();
    }

    private static int FillLength(SettlementFill fill, int signatureTail) =>
        (FillHeadWords * AbiType.WordSize) + signatureTail + AbiWriter.BytesTailLength(fill.Ciphertext.Length);

    private void WriteFill(SettlementFill fill, int signatureTail)
    {
        _writer.BeginTuple(FillHeadWords);
        _writer.WriteAddress(fill.Order.Trader);
        _writer.WriteUInt((ulong)fill.Order.Side);
        _writer.WriteUInt((ulong)fill.Order.Type);
        _writer.WriteUInt((ulong)fill.Order.LimitPrice);
        _writer.WriteUInt((ulong)fill.Order.Quantity);
        _writer.WriteUInt(fill.Order.Nonce);
        _writer.WriteBytes32(fill.Salt);
        _writer.WriteOffset(signatureTail);
        _writer.WriteUInt((ulong)fill.Lots);
        _writer.WriteOffset(AbiWriter.BytesTailLength(fill.Ciphertext.Length));
        _writer.WriteBytes(fill.Signature.Span);
        _writer.WriteBytes(fill.Ciphertext.Span);
        _writer.EndTuple();
    }
}
