namespace AuctionEngine.Crypto;

/// <summary>Why a signature was, or was not, accepted by <see cref="Secp256k1.RecoverAddress"/>.</summary>
public enum SignatureStatus : byte
{
    /// <summary>The signature is well formed and a signer's address was recovered.</summary>
    Valid = 0,

    /// <summary>The signature is not exactly 65 bytes (r || s || v).</summary>
    WrongLength = 1,

    /// <summary>The last byte v is none of 27, 28, 0 and 1.</summary>
    InvalidRecoveryId = 2,

    /// <summary>r is 0 or at least the group order n.</summary>
    RNotInRange = 3,

    /// <summary>s is 0 or at least the group order n.</summary>
    SNotInRange = 4,

    /// <summary>
    /// s is above n / 2. EIP-2 allows only the lower of the two equivalent values, so that a third party cannot
    /// make a second valid signature for the same message by replacing s with n − s.
    /// </summary>
    HighS = 5,

    /// <summary>No curve point has r as its x-coordinate, so no public key can have produced the signature.</summary>
    NoCurvePoint = 6,

    /// <summary>The recovered public key is the point at infinity, which no private key has.</summary>
    PointAtInfinity = 7,
}
