namespace AuctionEngine.Sealing;

/// <summary>Why one sealed submission, reveal or ciphertext was refused. Each affects that order alone.</summary>
public enum SealRejectReason : byte
{
    /// <summary>Accepted.</summary>
    None = 0,

    /// <summary>The commitment arrived after the batch's block, or after the batch closed.</summary>
    LateCommitment = 1,

    /// <summary>The same trader already registered the same commitment in this batch.</summary>
    DuplicateCommitment = 2,

    /// <summary>The batch already holds its maximum number of orders.</summary>
    BatchFull = 3,

    /// <summary>The trader already holds the maximum number of orders one trader may place in a batch.</summary>
    TraderLimitReached = 4,

    /// <summary>The ciphertext is longer than the batch allows.</summary>
    CiphertextTooLarge = 5,

    /// <summary>The reveal names a commitment the order's trader never registered in this batch.</summary>
    UnknownCommitment = 6,

    /// <summary>
    /// The opened order and its secret do not hash to the commitment they claim to open: a reveal with the wrong salt,
    /// or a ciphertext whose order is not the one its commitment binds.
    /// </summary>
    RevealMismatch = 7,

    /// <summary>The commitment has already been revealed.</summary>
    AlreadyRevealed = 8,

    /// <summary>The reveal arrived after the reveal window closed.</summary>
    RevealWindowClosed = 9,

    /// <summary>The signature is malformed or recovers no key.</summary>
    BadSignature = 10,

    /// <summary>The signature is valid but its signer is not the order's trader.</summary>
    SignerNotTrader = 11,

    /// <summary>The order was committed by a different account than its trader.</summary>
    CommitterNotTrader = 12,

    /// <summary>The order names another market or another batch: a replay.</summary>
    WrongBatch = 13,

    /// <summary>The ciphertext does not decrypt under the batch key (tampered, or sealed to another key).</summary>
    Undecryptable = 14,

    /// <summary>The decrypted bytes are not a well-formed order, or its fields are out of range.</summary>
    MalformedOrder = 15,

    /// <summary>
    /// The order's worst case (a buy's quantity at its limit or worst price, a sell's quantity) exceeds what its
    /// commitment reserved (see <see cref="Reservation"/>); it does not trade.
    /// </summary>
    Unfunded = 16,

    /// <summary>
    /// Another commitment earlier in commitment order opened the same signed order (the same EIP-712 digest); a signed
    /// order settles at most once, so this copy does not trade.
    /// </summary>
    DuplicateOrder = 17,

    /// <summary>A commit-reveal commitment was never validly revealed before the window closed; its bond is forfeited.</summary>
    Unrevealed = 18,
}
