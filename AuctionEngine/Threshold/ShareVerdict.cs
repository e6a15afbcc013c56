namespace AuctionEngine.Threshold;

/// <summary>What checking a released share against the batch's commitments found.</summary>
public enum ShareVerdict
{
    /// <summary>The share matches the commitments: s·G equals Σ C_j·i^j.</summary>
    Valid = 0,

    /// <summary>The keyper index is greater than the number of keypers the key was shared among.</summary>
    IndexOutOfRange = 1,

    /// <summary>The value is not a scalar: it is not below the secp256k1 group order.</summary>
    NotAScalar = 2,

    /// <summary>The value is a scalar but does not match the commitments.</summary>
    WrongValue = 3,
}
