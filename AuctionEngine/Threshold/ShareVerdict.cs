namespace AuctionEngine.Threshold;

/// <summary>What checking a share against the batch's commitments found, or why a keyper is named as bad.</summary>
public enum ShareVerdict
{
    /// <summary>The share matches the commitments: s·G equals Σ C_j·i^j.</summary>
    Valid = 0,

    /// <summary>
    /// The keyper index is greater than the number of keypers the key was shared among. Only
    /// <see cref="FeldmanCommitments.Check"/> says this: no keyper is registered at such an index, so
    /// <see cref="BatchKeyOpener.Open"/> ignores the share (<see cref="IgnoredShareReason.IndexOutOfRange"/>) and
    /// blames nobody.
    /// </summary>
    IndexOutOfRange = 1,

    /// <summary>The value is not a scalar: it is not below the secp256k1 group order.</summary>
    NotAScalar = 2,

    /// <summary>The value is a scalar but does not match the commitments.</summary>
    WrongValue = 3,

    /// <summary>
    /// The keyper validly signed more than one value for the same batch and sharing. At most one can match the
    /// commitments, so the keyper is bad whatever the others say; a value of its that does match is still used. The
    /// two signed shares prove the fault to anyone, without the commitments.
    /// </summary>
    Equivocated = 4,
}
