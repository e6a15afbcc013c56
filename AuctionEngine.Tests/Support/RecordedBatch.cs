using AuctionEngine.Primitives;
using AuctionEngine.Sealing;

namespace AuctionEngine.Tests.Support;

/// <summary>
/// A sealed batch with a record of what the settlement contract would hold: every commitment the batch accepted,
/// with its reservation and whether its trader revealed it on-chain. What the contract would say to the batch's
/// settlement is then <see cref="Verdict"/>.
/// </summary>
internal sealed class RecordedBatch(SealedBatch batch)
{
    private readonly List<SettlementRules.Registered> _registered = [];

    public SealedBatch Batch => batch;

    public IReadOnlyList<SettlementRules.Registered> Registered => _registered;

    public SealRejectReason Commit(Address trader, Hash32 commitment, Reservation reservation) =>
        Record(trader, commitment, reservation, batch.Commit(trader, commitment, reservation, SealedBatchScenario.OpenBlock));

    public SealRejectReason SubmitEncrypted(Address trader, Hash32 commitment, byte[] ciphertext, Reservation reservation) =>
        Record(trader, commitment, reservation, batch.SubmitEncrypted(trader, commitment, ciphertext, reservation, SealedBatchScenario.OpenBlock));

    /// <summary>Notes that the trader revealed the commitment on-chain, which the contract will never let be voided.</summary>
    public void RevealedOnChain(Address trader, Hash32 commitment)
    {
        int i = _registered.FindIndex(r => r.Trader == trader && r.Commitment == commitment);
        _registered[i] = _registered[i] with { RevealedOnChain = true };
    }

    /// <summary>The contract's verdict on the result's settlement: null if it would settle, else its error's name.</summary>
    public string? Verdict(SealedBatchResult result) => SettlementRules.Check(
        Build.UnitMarket(), SealedBatchScenario.Domain, SealedBatchScenario.BatchId, _registered, result.SettlementPrice, result.SettlementFills, result.Voids);

    private SealRejectReason Record(Address trader, Hash32 commitment, Reservation reservation, SealRejectReason reason)
    {
        if (reason == SealRejectReason.None)
        {
            _registered.Add(new SettlementRules.Registered(trader, commitment, reservation, RevealedOnChain: false));
        }

        return reason;
    }
}
