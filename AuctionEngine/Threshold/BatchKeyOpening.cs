namespace AuctionEngine.Threshold;

/// <summary>The outcome of <see cref="BatchKeyOpener.Open"/>: the secret key if it could be recovered, the keypers
/// whose shares were valid or bad either way, and the shares set aside because no keyper was shown to have sent them.</summary>
public sealed class BatchKeyOpening
{
    private readonly byte[] _secretKey;

    internal BatchKeyOpening(
        byte[] secretKey, IReadOnlyList<int> validKeypers, IReadOnlyList<BadKeyper> badKeypers, IReadOnlyList<IgnoredShare> ignoredShares, int threshold)
    {
        _secretKey = secretKey;
        ValidKeypers = validKeypers;
        BadKeypers = badKeypers;
        IgnoredShares = ignoredShares;
        Threshold = threshold;
    }

    /// <summary>Whether the key was opened.</summary>
    public BatchKeyOpeningStatus Status => _secretKey.Length == 0 ? BatchKeyOpeningStatus.NotEnoughValidShares : BatchKeyOpeningStatus.Opened;

    /// <summary>The 32-byte big-endian batch secret key when <see cref="Status"/> is <see cref="BatchKeyOpeningStatus.Opened"/>; empty otherwise.</summary>
    public ReadOnlyMemory<byte> SecretKey => _secretKey;

    /// <summary>The threshold t the key was shared with.</summary>
    public int Threshold { get; }

    /// <summary>The indexes of the keypers that signed a valid share, in ascending order.</summary>
    public IReadOnlyList<int> ValidKeypers { get; }

    /// <summary>
    /// The keypers that signed a share that cannot be right, in ascending order of index, each once: with
    /// <see cref="ShareVerdict.NotAScalar"/> or <see cref="ShareVerdict.WrongValue"/> for the one value it signed, or
    /// <see cref="ShareVerdict.Equivocated"/> when it signed more than one. A keyper that signed a valid share besides
    /// others is listed here and in <see cref="ValidKeypers"/>. Only a share that recovers to the keyper's registered
    /// address can put it here.
    /// </summary>
    public IReadOnlyList<BadKeyper> BadKeypers { get; }

    /// <summary>
    /// The shares set aside without blame, because nothing shows that the keyper whose index they claim sent them
    /// (forged, replayed from another batch, malformed), ordered by index, reason and signature status; identical
    /// entries are listed once.
    /// </summary>
    public IReadOnlyList<IgnoredShare> IgnoredShares { get; }
}
