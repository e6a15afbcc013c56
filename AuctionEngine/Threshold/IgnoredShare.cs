using AuctionEngine.Crypto;

namespace AuctionEngine.Threshold;

/// <summary>
/// A released share that <see cref="BatchKeyOpener.Open"/> set aside without blaming anyone: nothing shows that the
/// keyper whose index it claims sent it.
/// </summary>
/// <param name="Index">The index the share claimed.</param>
/// <param name="Reason">Why it was set aside.</param>
/// <param name="Signature">
/// What <see cref="Secp256k1.RecoverAddress"/> made of the signature when <paramref name="Reason"/> is
/// <see cref="IgnoredShareReason.InvalidSignature"/> (for example <see cref="SignatureStatus.HighS"/> from a signer
/// that does not normalise s); <see cref="SignatureStatus.Valid"/> for every other reason.
/// </param>
public readonly record struct IgnoredShare(int Index, IgnoredShareReason Reason, SignatureStatus Signature);
