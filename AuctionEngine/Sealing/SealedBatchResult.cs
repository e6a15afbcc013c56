using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;

namespace AuctionEngine.Sealing;

/// <summary>One revealed order of a cleared sealed batch and what happened to it.</summary>
/// <param name="Commitment">The commitment the order was sealed under.</param>
/// <param name="SignedOrder">The order as its trader signed it.</param>
/// <param name="Order">The order as the clearing engine saw it: its id is its rank among the batch's commitments.</param>
/// <param name="Fill">What it traded, or why the engine rejected it.</param>
public readonly record struct SealedOrderOutcome(Hash32 Commitment, SealedOrder SignedOrder, Order Order, Fill Fill);

/// <summary>A sealed order refused while the batch was opened, named by its commitment.</summary>
/// <param name="Commitment">The order's commitment.</param>
/// <param name="Reason">Why it was refused.</param>
public readonly record struct SealRejection(Hash32 Commitment, SealRejectReason Reason);

/// <summary>What clearing a <see cref="SealedBatch"/> produced.</summary>
public sealed class SealedBatchResult
{
    internal SealedBatchResult(
        ClearingResult clearing, IReadOnlyList<SealedOrderOutcome> orders, IReadOnlyList<Hash32> forfeited, IReadOnlyList<SealRejection> rejections, IReadOnlyList<SettlementFill> settlementFills)
    {
        Clearing = clearing;
        Orders = orders;
        Forfeited = forfeited;
        Rejections = rejections;
        SettlementFills = settlementFills;
    }

    /// <summary>The batch-level clearing outcome: price, volume, surplus.</summary>
    public ClearingResult Clearing { get; }

    /// <summary>Every revealed order in ascending commitment order, with its fill.</summary>
    public IReadOnlyList<SealedOrderOutcome> Orders { get; }

    /// <summary>Commit-reveal commitments never revealed within the window: a host may slash their bonds.</summary>
    public IReadOnlyList<Hash32> Forfeited { get; }

    /// <summary>Encrypted orders that could not be opened (undecryptable, malformed, badly signed or replayed).</summary>
    public IReadOnlyList<SealRejection> Rejections { get; }

    /// <summary>
    /// The orders that trade, in <see cref="Orders"/>' order, with what the settlement contract needs to check them:
    /// pass them to <see cref="SettlementCalldata.WriteSettle"/> with <see cref="ClearingResult.Price"/>.
    /// </summary>
    public IReadOnlyList<SettlementFill> SettlementFills { get; }
}
