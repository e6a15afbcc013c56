namespace AuctionEngine.Threshold;

/// <summary>The outcome of <see cref="BatchKeyOpener.Open"/>: the secret key if it could be recovered, and the keypers
/// whose shares were valid or bad either way.</summary>
public sealed class BatchKeyOpening
{
    private readonly byte[] _secretKey;

    internal BatchKeyOpening(byte[] secretKey, IReadOnlyList<int> validKeypers, IReadOnlyList<BadKeyper> badKeypers, int threshold)
    {
        _secretKey = secretKey;
        ValidKeypers = validKeypers;
        BadKeypers = badKeypers;
        Threshold = threshold;
    }

    /// <summary>Whether the key was opened.</summary>
    public BatchKeyOpeningStatus Status => _secretKey.Length == 0 ? BatchKeyOpeningStatus.NotEnoughValidShares : BatchKeyOpeningStatus.Opened;

    /// <summary>The 32-byte big-endian batch secret key when <see cref="Status"/> is <see cref="BatchKeyOpeningStatus.Opened"/>; empty otherwise.</summary>
    public ReadOnlyMemory<byte> SecretKey => _secretKey;

    /// <summary>The threshold t the key was shared with.</summary>
    public int Threshold { get; }

    /// <summary>The indexes of the keypers that released a valid share, in ascending order.</summary>
    public IReadOnlyList<int> ValidKeypers { get; }

    /// <summary>
    /// The keypers that released a share that is not valid, in ascending order of index, each once with the first
    /// fault found. A keyper that released both a valid and a bad share is listed here and in <see cref="ValidKeypers"/>.
    /// </summary>
    public IReadOnlyList<BadKeyper> BadKeypers { get; }
}
