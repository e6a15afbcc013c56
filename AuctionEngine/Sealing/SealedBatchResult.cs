using System.Text.Json.Serialization;
using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Serialization;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;

namespace AuctionEngine.Sealing;

/// <summary>One opened order of a cleared sealed batch and what happened to it.</summary>
/// <param name="Commitment">The commitment the order was sealed under.</param>
/// <param name="SignedOrder">The order as its trader signed it.</param>
/// <param name="Secret">The salt, or <c>keccak256(ciphertext)</c>, that opened the commitment.</param>
/// <param name="Order">
/// The order as the clearing engine saw it: its id is its rank among the batch's opened orders, and a market order
/// stands as a limit at its worst price unless it traded as a market order at a price its worst price admits.
/// </param>
/// <param name="Fill">What it traded, or why the engine rejected it; empty when <paramref name="Refusal"/> kept it from the engine.</param>
/// <param name="Refusal">
/// <see cref="SealRejectReason.Unfunded"/> or <see cref="SealRejectReason.DuplicateOrder"/> if the batch kept the
/// order from the engine; <see cref="SealRejectReason.None"/> otherwise.
/// </param>
[JsonConverter(typeof(SealedOrderOutcomeJsonConverter))]
public readonly record struct SealedOrderOutcome(Hash32 Commitment, SealedOrder SignedOrder, Hash32 Secret, Order Order, Fill Fill, SealRejectReason Refusal);

/// <summary>A commitment that did not open, named by its trader and hash, with the reason.</summary>
/// <param name="Trader">The account that registered it.</param>
/// <param name="Commitment">The commitment.</param>
/// <param name="Reason">
/// <see cref="SealRejectReason.Unrevealed"/> for a commit-reveal commitment never revealed (its bond is forfeited), or
/// what opening an encrypted order found (<see cref="SealRejectReason.Undecryptable"/>, <see cref="SealRejectReason.RevealMismatch"/>, …).
/// </param>
[JsonConverter(typeof(SealRejectionJsonConverter))]
public readonly record struct SealRejection(Address Trader, Hash32 Commitment, SealRejectReason Reason);

/// <summary>An order the order manager released into a sealed batch, and what it traded.</summary>
/// <param name="Released">The order as the manager released it, naming its instruction.</param>
/// <param name="Order">The order as the engine cleared it: its id follows the opened orders' and its priority key is drawn from the batch's randomness.</param>
/// <param name="Fill">What it traded, or why the engine rejected it: hand it to <see cref="Management.OrderManager.ApplyFills"/>.</param>
public readonly record struct ReleasedOrderOutcome(ManagedOrder Released, Order Order, Fill Fill);

/// <summary>Why a cleared <see cref="SealedBatch"/> cannot be settled by the reference settlement contract as it stands.</summary>
public enum SettlementBlocker : byte
{
    /// <summary>Nothing: it can be settled.</summary>
    None = 0,

    /// <summary>The price rule needed a reference price it was not given: clear again with one.</summary>
    ReferencePriceRequired = 1,

    /// <summary>
    /// The batch holds orders the order manager released. The reference contract settles only committed orders, so
    /// settling the committed ones alone would not balance against what the released ones traded; a settlement path
    /// for released orders is a follow-up.
    /// </summary>
    HoldsReleasedOrders = 2,
}

/// <summary>What clearing a <see cref="SealedBatch"/> produced: every commitment of the batch, once.</summary>
public sealed class SealedBatchResult
{
    private readonly byte[] _batchKey;

    internal SealedBatchResult(
        ClearingResult clearing,
        IReadOnlyList<SealedOrderOutcome> orders,
        IReadOnlyList<SealRejection> voids,
        IReadOnlyList<SettlementFill> settlementFills,
        byte[] batchKey,
        IReadOnlyList<ReleasedOrderOutcome> released)
    {
        Released = released;
        Clearing = clearing;
        Orders = orders;
        Voids = voids;
        SettlementFills = settlementFills;
        _batchKey = batchKey;
    }

    /// <summary>The batch-level clearing outcome: price, volume, surplus.</summary>
    public ClearingResult Clearing { get; }

    /// <summary>
    /// Whether the reference settlement contract can settle the batch as it stands: it cleared, or nothing in it was
    /// executable, and it holds no released orders. <see cref="NotSettleableBecause"/> says why not.
    /// </summary>
    public bool IsSettleable => NotSettleableBecause == SettlementBlocker.None;

    /// <summary>Why the batch cannot be settled as it stands, or <see cref="SettlementBlocker.None"/>.</summary>
    public SettlementBlocker NotSettleableBecause =>
        Clearing.Status == ClearingStatus.ReferencePriceRequired ? SettlementBlocker.ReferencePriceRequired
        : Released.Count > 0 ? SettlementBlocker.HoldsReleasedOrders
        : SettlementBlocker.None;

    /// <summary>
    /// The order manager's orders released into the batch, in the order they were given to
    /// <see cref="SealedBatch.Release(in ManagedOrder)"/>, each with its fill.
    /// </summary>
    public IReadOnlyList<ReleasedOrderOutcome> Released { get; }

    /// <summary>The price the batch settles at: the clearing price, or 0 when nothing trades.</summary>
    public long SettlementPrice => Clearing.Status == ClearingStatus.Cleared ? Clearing.Price!.Value : 0;

    /// <summary>Every opened order in ascending commitment order, with its fill.</summary>
    public IReadOnlyList<SealedOrderOutcome> Orders { get; }

    /// <summary>Every commitment that did not open, in ascending commitment order, with its reason.</summary>
    public IReadOnlyList<SealRejection> Voids { get; }

    /// <summary>Commit-reveal commitments never revealed within the window: their bonds are forfeited.</summary>
    public IEnumerable<SealRejection> Forfeited => Voids.Where(v => v.Reason == SealRejectReason.Unrevealed);

    /// <summary>Encrypted orders that could not be opened (undecryptable, malformed, not the committed order, badly signed or replayed).</summary>
    public IEnumerable<SealRejection> Rejections => Voids.Where(v => v.Reason != SealRejectReason.Unrevealed);

    /// <summary>
    /// Every opened order, in <see cref="Orders"/>' order, with what the settlement contract needs to check it and
    /// its lots (0 for one that does not trade): pass them with <see cref="Voids"/>, <see cref="SettlementPrice"/> and
    /// <see cref="BatchKey"/> to <see cref="SettlementCalldata.WriteSettle(System.Buffers.IBufferWriter{byte}, ulong, long, IReadOnlyList{SettlementFill}, IReadOnlyList{SealRejection}, ReadOnlySpan{byte})"/>,
    /// or the whole result to <see cref="SettlementCalldata.WriteSettle(System.Buffers.IBufferWriter{byte}, ulong, SealedBatchResult)"/>, which refuses one that is not settleable.
    /// </summary>
    public IReadOnlyList<SettlementFill> SettlementFills { get; }

    /// <summary>
    /// The batch's opened secret key, published in the settlement so that anyone can decrypt the ciphertexts and check
    /// each encrypted order's void; empty if the batch key was never opened.
    /// </summary>
    public ReadOnlyMemory<byte> BatchKey => _batchKey;
}
