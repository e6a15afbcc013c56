namespace AuctionEngine.Threshold;

/// <summary>Why a released share was ignored rather than held against a keyper.</summary>
public enum IgnoredShareReason
{
    /// <summary>The index is below 1 or above n: no keyper is registered there, so no one can have signed it.</summary>
    IndexOutOfRange = 1,

    /// <summary>The value is not 32 bytes long, so it is not a <c>bytes32</c> any keyper can have signed.</summary>
    WrongValueLength = 2,

    /// <summary>
    /// The signature is unacceptable on its own: not 65 bytes, a bad v, r or s out of range, a high s, or no curve
    /// point; <see cref="IgnoredShare.Signature"/> says which.
    /// </summary>
    InvalidSignature = 3,

    /// <summary>
    /// The signature is well formed but does not recover to the address registered for the index: a forgery, or a
    /// share signed for another market, batch, sharing, index, value or domain.
    /// </summary>
    NotSignedByKeyper = 4,
}
