namespace AuctionEngine.Sealing;

/// <summary>Where a <see cref="SealedBatch"/> is in its life; each phase only moves forward.</summary>
public enum BatchPhase : byte
{
    /// <summary>The batch's block is open: sealed orders (commitments or ciphertexts) are accepted.</summary>
    Collecting = 0,

    /// <summary>The block has ended: nothing more is accepted, and nothing is revealed yet.</summary>
    Closed = 1,

    /// <summary>Reveals are accepted, or the batch key has been released and the ciphertexts decrypted.</summary>
    Revealing = 2,

    /// <summary>The revealed orders have been cleared at one price.</summary>
    Cleared = 3,

    /// <summary>The host has settled the batch on-chain.</summary>
    Settled = 4,
}
