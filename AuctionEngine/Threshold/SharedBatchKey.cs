namespace AuctionEngine.Threshold;

/// <summary>
/// What key generation hands out for one batch: the public commitments, which everyone may see, and each keyper's
/// secret share, which goes to that keyper alone.
/// </summary>
public sealed class SharedBatchKey
{
    /// <summary>Bundles the commitments with the shares.</summary>
    /// <param name="commitments">The public commitments; their <see cref="FeldmanCommitments.KeyperCount"/> is n.</param>
    /// <param name="shares">The n shares, for keypers 1 to n in that order.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// There is not one share per keyper in index order, or a share does not match the commitments.
    /// </exception>
    public SharedBatchKey(FeldmanCommitments commitments, IReadOnlyList<KeyperShare> shares)
    {
        ArgumentNullException.ThrowIfNull(commitments);
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Count != commitments.KeyperCount)
        {
            ThrowHelper.ThrowArgumentException_ShareCount(shares.Count, commitments.KeyperCount, nameof(shares));
        }

        for (int i = 0; i < shares.Count; i++)
        {
            // A key generation that hands a keyper a share the commitments reject would only surface when the batch
            // fails to open, long after the fault; refuse it here instead.
            if (shares[i] is not { } share || share.Index != i + 1 || !commitments.Verify(share))
            {
                ThrowHelper.ThrowArgumentException_DealtShare(i, nameof(shares));
            }
        }

        Commitments = commitments;
        Shares = [.. shares];
    }

    /// <summary>The public commitments; <see cref="FeldmanCommitments.GetPublicKey"/> is the batch public key.</summary>
    public FeldmanCommitments Commitments { get; }

    /// <summary>The shares, for keypers 1 to n in that order: <c>Shares[i − 1]</c> belongs to keyper i.</summary>
    public IReadOnlyList<KeyperShare> Shares { get; }

    /// <summary>
    /// Signs keyper <paramref name="index"/>'s share for release with that keyper's own key, as the keyper itself
    /// would with <see cref="KeyperShareContext.Sign"/>: a shortcut for tests, demos and single-process setups.
    /// </summary>
    /// <remarks>In a real deployment each keyper signs on its own machine and its key never meets the dealer.</remarks>
    /// <param name="context">The batch the share is released for; its commitments must be <see cref="Commitments"/>.</param>
    /// <param name="index">The keyper's index, from 1 to n.</param>
    /// <param name="keyperPrivateKey">The keyper's 32-byte secp256k1 private key, whose address is registered for <paramref name="index"/>.</param>
    /// <returns>The signed share.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="context"/> is for another sharing, or <paramref name="keyperPrivateKey"/> is not a valid private key.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not from 1 to n.</exception>
    public SignedKeyperShare SignShare(KeyperShareContext context, int index, ReadOnlySpan<byte> keyperPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Commitments.SharingHash != Commitments.SharingHash)
        {
            ThrowHelper.ThrowArgumentException_ContextForAnotherSharing(nameof(context));
        }

        if ((uint)(index - 1) >= (uint)Shares.Count)
        {
            ThrowHelper.ThrowArgumentOutOfRange_UnknownKeyper(index, Shares.Count, nameof(index));
        }

        return context.Sign(Shares[index - 1], keyperPrivateKey);
    }
}
