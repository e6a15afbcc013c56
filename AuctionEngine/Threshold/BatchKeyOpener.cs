using AuctionEngine.Crypto;
using AuctionEngine.Primitives;

namespace AuctionEngine.Threshold;

/// <summary>Opens a batch key once the batch has closed and keypers have released their signed shares.</summary>
public static class BatchKeyOpener
{
    /// <summary>
    /// Authenticates every released share, checks the authentic ones against the commitments, names the keypers that
    /// signed a bad one, and recovers the secret key from t valid shares if there are that many.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The input is taken as it arrived, from anyone: shares may be missing, forged, replayed from another batch,
    /// malformed, repeated or contradictory. Each is judged in two steps.
    /// </para>
    /// <para>
    /// First, is it the claimed keyper's? A share whose index is not a registered keyper's, whose value is not 32
    /// bytes, or whose signature does not recover to the registered address of its index is set aside in
    /// <see cref="BatchKeyOpening.IgnoredShares"/> and blames nobody: anyone can send it in anyone's name.
    /// </para>
    /// <para>
    /// Then, is it right? A keyper is named in <see cref="BatchKeyOpening.BadKeypers"/> only for what it signed
    /// itself: a value that is not a scalar or does not match the commitments, or more than one value
    /// (<see cref="ShareVerdict.Equivocated"/>). Copies of a share, and the same value signed twice, count once. A
    /// keyper's signed value that matches the commitments is used even if the keyper also signed others.
    /// </para>
    /// <para>
    /// The valid shares with the lowest indexes are interpolated, and every list in the result is sorted, so the
    /// outcome does not depend on the order of <paramref name="releasedShares"/>. Authenticating a share costs one
    /// signer recovery (about 64 µs), checking it one Feldman evaluation; exact copies are recognised first and
    /// cost neither.
    /// </para>
    /// </remarks>
    /// <param name="context">The batch the shares are released for: domain, market, batch id and commitments.</param>
    /// <param name="keypers">The registered keypers of the sharing: one address per index.</param>
    /// <param name="releasedShares">The shares as released, in any order.</param>
    /// <returns>
    /// The outcome; <see cref="BatchKeyOpeningStatus.NotEnoughValidShares"/> when fewer than t shares are valid,
    /// which is not an error.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument or one of the shares is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="keypers"/> does not register as many keypers as the sharing has.
    /// </exception>
    public static BatchKeyOpening Open(KeyperShareContext context, KeyperSet keypers, IEnumerable<SignedKeyperShare> releasedShares)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(keypers);
        ArgumentNullException.ThrowIfNull(releasedShares);
        FeldmanCommitments commitments = context.Commitments;
        if (keypers.Count != commitments.KeyperCount)
        {
            ThrowHelper.ThrowArgumentException_KeyperSetSize(keypers.Count, commitments.KeyperCount, nameof(keypers));
        }

        var copies = new HashSet<SignedKeyperShare>(ExactCopyComparer.Instance);
        var ignored = new HashSet<IgnoredShare>();
        var signedValues = new SortedDictionary<int, SortedSet<Hash32>>();
        foreach (SignedKeyperShare share in releasedShares)
        {
            ArgumentNullException.ThrowIfNull(share, nameof(releasedShares));
            if (!copies.Add(share))
            {
                continue;
            }

            IgnoredShare? verdict = Authenticate(context, keypers, share);
            if (verdict is { } reason)
            {
                ignored.Add(reason);
                continue;
            }

            if (!signedValues.TryGetValue(share.Index, out SortedSet<Hash32>? values))
            {
                signedValues.Add(share.Index, values = []);
            }

            values.Add(new Hash32(share.Value.Span));
        }

        var valid = new List<KeyperShare>();
        var bad = new List<BadKeyper>();
        foreach ((int index, SortedSet<Hash32> values) in signedValues)
        {
            ShareVerdict fault = ShareVerdict.Valid;
            foreach (Hash32 value in values)
            {
                var share = new KeyperShare(index, value.ToArray());
                ShareVerdict verdict = commitments.Check(share);
                if (verdict == ShareVerdict.Valid)
                {
                    // At most one value per index matches the commitments, so the rest need no checking.
                    valid.Add(share);
                    break;
                }

                fault = verdict;
            }

            if (values.Count > 1)
            {
                bad.Add(new BadKeyper(index, ShareVerdict.Equivocated));
            }
            else if (fault != ShareVerdict.Valid)
            {
                bad.Add(new BadKeyper(index, fault));
            }
        }

        int[] validKeypers = [.. valid.Select(share => share.Index)];
        IgnoredShare[] ignoredShares = [.. ignored.OrderBy(x => x.Index).ThenBy(x => x.Reason).ThenBy(x => x.Signature)];
        if (valid.Count < commitments.Threshold)
        {
            return new BatchKeyOpening([], validKeypers, [.. bad], ignoredShares, commitments.Threshold);
        }

        // Every valid share is a canonical scalar with its own index, so reconstruction has nothing left to reject.
        byte[] secretKey = ShamirReconstruction.Reconstruct(valid.GetRange(0, commitments.Threshold));
        return new BatchKeyOpening(secretKey, validKeypers, [.. bad], ignoredShares, commitments.Threshold);
    }

    /// <summary>Null when the share is signed by the registered keyper of its index; otherwise why it is ignored.</summary>
    private static IgnoredShare? Authenticate(KeyperShareContext context, KeyperSet keypers, SignedKeyperShare share)
    {
        if (!keypers.TryGetAddress(share.Index, out Address registered))
        {
            return new IgnoredShare(share.Index, IgnoredShareReason.IndexOutOfRange, SignatureStatus.Valid);
        }

        if (share.Value.Length != KeyperShare.ValueLength)
        {
            return new IgnoredShare(share.Index, IgnoredShareReason.WrongValueLength, SignatureStatus.Valid);
        }

        SignatureStatus status = context.RecoverSigner(share, out Address signer);
        if (status != SignatureStatus.Valid)
        {
            return new IgnoredShare(share.Index, IgnoredShareReason.InvalidSignature, status);
        }

        return signer == registered ? null : new IgnoredShare(share.Index, IgnoredShareReason.NotSignedByKeyper, SignatureStatus.Valid);
    }

    /// <summary>Equal when index, value and signature are byte for byte the same: a copy judges exactly as its original.</summary>
    private sealed class ExactCopyComparer : IEqualityComparer<SignedKeyperShare>
    {
        public static readonly ExactCopyComparer Instance = new();

        public bool Equals(SignedKeyperShare? x, SignedKeyperShare? y) =>
            ReferenceEquals(x, y) ||
            (x is not null && y is not null && x.Index == y.Index &&
                x.Value.Span.SequenceEqual(y.Value.Span) && x.Signature.Span.SequenceEqual(y.Signature.Span));

        public int GetHashCode(SignedKeyperShare obj)
        {
            var hash = default(HashCode);
            hash.Add(obj.Index);
            hash.Add(obj.Value.Length);
            hash.AddBytes(obj.Value.Span);
            hash.AddBytes(obj.Signature.Span);
            return hash.ToHashCode();
        }
    }
}
