using System.Buffers;
using AuctionEngine.Abi;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Signing;

namespace AuctionEngine.Settlement;

/// <summary>
/// Writes the calldata of the reference settlement contract (<c>samples/contracts/AuctionSettlement.sol</c>, whose
/// ABI is <c>AuctionSettlement.abi.json</c>): the trader's <c>commit</c> and <c>commitEncrypted</c>, an on-chain
/// <c>reveal</c>, and the operator's <c>settle</c> for a cleared batch. Reuse one instance: after the output buffer
/// has grown, writing allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// With <c>Order = (address trader, uint8 side, uint8 orderType, uint256 limitPrice, uint256 quantity, uint256 nonce)</c>:
/// <c>settle(uint64 batchId, uint256 price, (Order order, bytes32 secret, bytes signature, uint256 lots)[] fills,
/// (address trader, bytes32 commitment, uint8 reason)[] voids, bytes batchKey)</c>.
/// </para>
/// <para>
/// The contract's batch id is the block its commitments were registered in, and the market an order signs is the
/// contract's own address, so a <see cref="SealedBatch"/> settled through it uses those. Not thread-safe.
/// </para>
/// </remarks>
public sealed class SettlementCalldata
{
    /// <summary>An order's words: trader, side, type, limit (or worst) price, quantity, nonce.</summary>
    private const int OrderWords = 6;

    /// <summary>A fill's head: the order's words, the secret, the signature's offset, the lots.</summary>
    private const int FillHeadWords = OrderWords + 3;

    /// <summary>A void's words: trader, commitment, reason.</summary>
    private const int VoidWords = 3;

    private static readonly int SignatureTail = AbiWriter.BytesTailLength(Secp256k1.SignatureSize);

    /// <summary>The length of one fill's encoding: its head and its signature's tail.</summary>
    private static readonly int FillLength = (FillHeadWords * AbiType.WordSize) + SignatureTail;

    private readonly AbiWriter _writer = new();

    /// <summary><c>commit(bytes32 commitment, uint112 baseReserved, uint112 quoteReserved)</c>.</summary>
    public static AbiFunction Commit { get; } = AbiFunction.Parse("commit(bytes32,uint112,uint112)");

    /// <summary><c>commitEncrypted(bytes32 commitment, uint112 baseReserved, uint112 quoteReserved, bytes ciphertext)</c>.</summary>
    public static AbiFunction CommitEncrypted { get; } = AbiFunction.Parse("commitEncrypted(bytes32,uint112,uint112,bytes)");

    /// <summary><c>reveal(uint64 batchId, Order order, bytes32 secret, bytes signature)</c>.</summary>
    public static AbiFunction Reveal { get; } = AbiFunction.Parse("reveal(uint64,(address,uint8,uint8,uint256,uint256,uint256),bytes32,bytes)");

    /// <summary>The contract's <c>settle</c> function.</summary>
    public static AbiFunction Settle { get; } = AbiFunction.Parse(
        "settle(uint64,uint256,((address,uint8,uint8,uint256,uint256,uint256),bytes32,bytes,uint256)[],(address,bytes32,uint8)[],bytes)");

    /// <summary>Writes <c>commit(commitment, baseReserved, quoteReserved)</c>, a commit-reveal order's registration.</summary>
    /// <param name="output">Receives the 100 bytes of calldata.</param>
    /// <param name="commitment">The order's commitment (<see cref="Commitments.ForReveal"/>).</param>
    /// <param name="reservation">The funds the commitment sets aside for the order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    public void WriteCommit(IBufferWriter<byte> output, Hash32 commitment, Reservation reservation)
    {
        _writer.Reset(output);
        _writer.WriteSelector(Commit.Selector);
        _writer.WriteBytes32(commitment);
        _writer.WriteUInt(reservation.BaseAtoms);
        _writer.WriteUInt(reservation.QuoteAtoms);
    }

    /// <summary>Writes <c>commitEncrypted(commitment, baseReserved, quoteReserved, ciphertext)</c>.</summary>
    /// <param name="output">Receives the calldata.</param>
    /// <param name="commitment">The order's commitment (<see cref="Commitments.ForEncrypted"/>).</param>
    /// <param name="reservation">The funds the commitment sets aside for the order.</param>
    /// <param name="ciphertext">The ciphertext, published on-chain for the batch key to open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    public void WriteCommitEncrypted(IBufferWriter<byte> output, Hash32 commitment, Reservation reservation, ReadOnlySpan<byte> ciphertext)
    {
        _writer.Reset(output);
        _writer.WriteSelector(CommitEncrypted.Selector);
        _writer.BeginTuple(headWords: 4);
        _writer.WriteBytes32(commitment);
        _writer.WriteUInt(reservation.BaseAtoms);
        _writer.WriteUInt(reservation.QuoteAtoms);
        _writer.WriteOffset(AbiWriter.BytesTailLength(ciphertext.Length));
        _writer.WriteBytes(ciphertext);
        _writer.EndTuple();
    }

    /// <summary>Writes <c>reveal(batchId, order, secret, signature)</c>: an on-chain reveal, which the operator can then never void.</summary>
    /// <param name="output">Receives the calldata.</param>
    /// <param name="batchId">The batch the order was committed in.</param>
    /// <param name="order">The order as signed.</param>
    /// <param name="secret">The commit-reveal salt, or <c>keccak256(ciphertext)</c> for an encrypted order.</param>
    /// <param name="signature">The trader's 65-byte signature.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="signature"/> is not 65 bytes.</exception>
    public void WriteReveal(IBufferWriter<byte> output, ulong batchId, in SealedOrder order, Hash32 secret, ReadOnlySpan<byte> signature)
    {
        RequireSignature(signature, nameof(signature));
        _writer.Reset(output);
        _writer.WriteSelector(Reveal.Selector);
        _writer.BeginTuple(headWords: 1 + OrderWords + 2);
        _writer.WriteUInt(batchId);
        WriteOrder(order);
        _writer.WriteBytes32(secret);
        _writer.WriteOffset(SignatureTail);
        _writer.WriteBytes(signature);
        _writer.EndTuple();
    }

    /// <summary>Writes <c>settle(batchId, price, fills, voids, batchKey)</c> for a cleared sealed batch's result, refusing one it cannot settle.</summary>
    /// <param name="output">Receives the calldata.</param>
    /// <param name="batchId">The block the batch's commitments were registered in.</param>
    /// <param name="result">The batch's result.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="result"/> is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// The result is not settleable (<see cref="SealedBatchResult.NotSettleableBecause"/>): it needs a reference price,
    /// or it holds orders the order manager released, which the reference contract cannot settle yet. Calldata that
    /// would revert is never written.
    /// </exception>
    public void WriteSettle(IBufferWriter<byte> output, ulong batchId, SealedBatchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.IsSettleable)
        {
            ThrowHelper.ThrowInvalidOperation_NotSettleable(result.NotSettleableBecause);
        }

        WriteSettle(output, batchId, result.SettlementPrice, result.SettlementFills, result.Voids, result.BatchKey.Span);
    }

    /// <summary>Writes <c>settle(batchId, price, fills, voids, batchKey)</c> for a cleared batch.</summary>
    /// <param name="output">Receives the calldata.</param>
    /// <param name="batchId">The block the batch's commitments were registered in.</param>
    /// <param name="price">The uniform clearing price in ticks; 0 when nothing trades.</param>
    /// <param name="fills">Every opened order, in ascending commitment order, with its lots.</param>
    /// <param name="voids">Every commitment that did not open.</param>
    /// <param name="batchKey">The batch's opened secret key; empty if it had no encrypted orders.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/>, <paramref name="fills"/> or <paramref name="voids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="price"/> is negative.</exception>
    public void WriteSettle(
        IBufferWriter<byte> output, ulong batchId, long price, IReadOnlyList<SettlementFill> fills, IReadOnlyList<SealRejection> voids, ReadOnlySpan<byte> batchKey)
    {
        ArgumentNullException.ThrowIfNull(fills);
        ArgumentNullException.ThrowIfNull(voids);
        ArgumentOutOfRangeException.ThrowIfNegative(price);

        _writer.Reset(output);
        _writer.WriteSelector(Settle.Selector);
        _writer.BeginTuple(headWords: 5);
        _writer.WriteUInt(batchId);
        _writer.WriteUInt((ulong)price);
        _writer.WriteOffset(AbiType.WordSize + (fills.Count * (AbiType.WordSize + FillLength)));
        _writer.WriteOffset(AbiWriter.ArrayTailLength(voids.Count, VoidWords));
        _writer.WriteOffset(AbiWriter.BytesTailLength(batchKey.Length));

        _writer.WriteLength(fills.Count);
        if (fills.Count > 0)
        {
            // The fills are dynamic (they hold bytes), so the array's head is one offset per fill.
            _writer.BeginTuple(headWords: fills.Count);
            for (int i = 0; i < fills.Count; i++)
            {
                _writer.WriteOffset(FillLength);
            }

            for (int i = 0; i < fills.Count; i++)
            {
                WriteFill(fills[i]);
            }

            _writer.EndTuple();
        }

        _writer.WriteLength(voids.Count);
        for (int i = 0; i < voids.Count; i++)
        {
            SealRejection voided = voids[i];
            _writer.WriteAddress(voided.Trader);
            _writer.WriteBytes32(voided.Commitment);
            _writer.WriteUInt((ulong)voided.Reason);
        }

        _writer.WriteBytes(batchKey);
        _writer.EndTuple();
    }

    private void WriteFill(SettlementFill fill)
    {
        _writer.BeginTuple(FillHeadWords);
        WriteOrder(fill.Order);
        _writer.WriteBytes32(fill.Secret);
        _writer.WriteOffset(SignatureTail);
        _writer.WriteUInt((ulong)fill.Lots);
        _writer.WriteBytes(fill.Signature.Span);
        _writer.EndTuple();
    }

    private void WriteOrder(in SealedOrder order)
    {
        _writer.WriteAddress(order.Trader);
        _writer.WriteUInt((ulong)order.Side);
        _writer.WriteUInt((ulong)order.Type);
        _writer.WriteUInt((ulong)order.LimitPrice);
        _writer.WriteUInt((ulong)order.Quantity);
        _writer.WriteUInt(order.Nonce);
    }

    private static void RequireSignature(ReadOnlySpan<byte> signature, string paramName)
    {
        if (signature.Length != Secp256k1.SignatureSize)
        {
            throw new ArgumentException($"A signature is {Secp256k1.SignatureSize} bytes.", paramName);
        }
    }
}
