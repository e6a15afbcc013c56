namespace AuctionEngine.Threshold;

/// <summary>
/// Produces a batch key shared t-of-n among keypers. <see cref="TrustedDealer"/> is the simple implementation; a
/// distributed key generation, in which no single party ever knows the secret, can take its place.
/// </summary>
public interface IBatchKeyGeneration
{
    /// <summary>Generates a fresh batch key and shares it.</summary>
    /// <param name="threshold">t: how many valid shares open the key, from 1 to <paramref name="keyperCount"/>.</param>
    /// <param name="keyperCount">n: how many keypers hold a share.</param>
    /// <returns>The public commitments and one share per keyper.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="threshold"/> is less than 1 or greater than <paramref name="keyperCount"/>.
    /// </exception>
    SharedBatchKey Generate(int threshold, int keyperCount);
}
