namespace AuctionEngine.Threshold;

/// <summary>Opens a batch key once the batch has closed and keypers have released their shares.</summary>
public static class BatchKeyOpener
{
    /// <summary>
    /// Checks every released share against the commitments, names the keypers whose shares are bad, and recovers the
    /// secret key from t valid shares if there are that many.
    /// </summary>
    /// <remarks>
    /// The input is taken as it arrived: shares may be missing, wrong, claim an index beyond n, or come more than once.
    /// Only one value per index can match the commitments, so copies of a valid share count once and any share that
    /// does not match is named, whoever else sent a good one. The valid shares with the lowest indexes are used, so
    /// the result does not depend on the order of <paramref name="releasedShares"/>.
    /// </remarks>
    /// <param name="commitments">The batch's public commitments.</param>
    /// <param name="releasedShares">The shares as released, in any order.</param>
    /// <returns>
    /// The outcome; <see cref="BatchKeyOpeningStatus.NotEnoughValidShares"/> when fewer than t shares are valid,
    /// which is not an error.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument or one of the shares is null.</exception>
    public static BatchKeyOpening Open(FeldmanCommitments commitments, IEnumerable<KeyperShare> releasedShares)
    {
        ArgumentNullException.ThrowIfNull(commitments);
        ArgumentNullException.ThrowIfNull(releasedShares);

        var valid = new SortedDictionary<int, KeyperShare>();
        var bad = new SortedDictionary<int, ShareVerdict>();
        foreach (KeyperShare share in releasedShares)
        {
            ArgumentNullException.ThrowIfNull(share, nameof(releasedShares));
            if (valid.TryGetValue(share.Index, out KeyperShare? known) && share.Value.Span.SequenceEqual(known.Value.Span))
            {
                continue;
            }

            ShareVerdict verdict = commitments.Check(share);
            if (verdict == ShareVerdict.Valid)
            {
                valid[share.Index] = share;
            }
            else
            {
                bad.TryAdd(share.Index, verdict);
            }
        }

        int[] validKeypers = [.. valid.Keys];
        BadKeyper[] badKeypers = [.. bad.Select(entry => new BadKeyper(entry.Key, entry.Value))];
        if (valid.Count < commitments.Threshold)
        {
            return new BatchKeyOpening([], validKeypers, badKeypers, commitments.Threshold);
        }

        // Every valid share is a canonical scalar with its own index, so reconstruction has nothing left to reject.
        byte[] secretKey = ShamirReconstruction.Reconstruct([.. valid.Values.Take(commitments.Threshold)]);
        return new BatchKeyOpening(secretKey, validKeypers, badKeypers, commitments.Threshold);
    }
}
