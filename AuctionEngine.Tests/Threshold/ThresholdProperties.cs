using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using FsCheck;
using FsCheck.Fluent;

namespace AuctionEngine.Tests.Threshold;

/// <summary>
/// Feldman sharing for random t ≤ n ≤ 7: any t shares open the key, t − 1 do not, and a corrupted share is caught
/// by the commitments and named without stopping the batch while t good shares remain.
/// </summary>
public sealed class ThresholdProperties
{
    /// <summary>A sharing's shape and a seed for the dealer and for every choice of shares.</summary>
    private static readonly Arbitrary<(int N, int T, int Seed)> Sharings = Arb.From(
        from n in Gen.Choose(1, 7)
        from t in Gen.Choose(1, n)
        from seed in Gen.Choose(int.MinValue, int.MaxValue)
        select (n, t, seed));

    [FsCheck.NUnit.Property]
    public Property AnyTSharesReconstructTheSecret() => Prop.ForAll(Sharings, s =>
    {
        (SharedBatchKey key, byte[] secret, Random choose) = Deal(s);
        KeyperShare[] some = Pick(key.Shares, s.T, choose);
        BatchKeyOpening opening = BatchKeyOpener.Open(key.Commitments, some);
        return ShamirReconstruction.Reconstruct(some).SequenceEqual(secret) &&
            opening.Status == BatchKeyOpeningStatus.Opened && opening.SecretKey.Span.SequenceEqual(secret) &&
            opening.BadKeypers.Count == 0 && opening.ValidKeypers.SequenceEqual(some.Select(x => x.Index).Order());
    });

    [FsCheck.NUnit.Property]
    public Property FewerThanTSharesDoNotOpen() => Prop.ForAll(Sharings, s =>
    {
        (SharedBatchKey key, byte[] secret, Random choose) = Deal(s);
        KeyperShare[] some = Pick(key.Shares, s.T - 1, choose);
        BatchKeyOpening opening = BatchKeyOpener.Open(key.Commitments, some);
        bool interpolationMisses = some.Length == 0 || !ShamirReconstruction.Reconstruct(some).SequenceEqual(secret);
        return interpolationMisses && opening.Status == BatchKeyOpeningStatus.NotEnoughValidShares && opening.SecretKey.IsEmpty &&
            opening.ValidKeypers.Count == s.T - 1 && opening.BadKeypers.Count == 0;
    });

    [FsCheck.NUnit.Property]
    public Property ACorruptedShareIsNamedAndTheRestStillOpen() => Prop.ForAll(Sharings, s =>
    {
        (SharedBatchKey key, byte[] secret, Random choose) = Deal(s);
        int victim = choose.Next(1, s.N + 1);
        byte[] corrupted = key.Shares[victim - 1].Value.ToArray();
        corrupted[choose.Next(corrupted.Length)] ^= (byte)(1 << choose.Next(8));
        var released = key.Shares.Select(x => x.Index == victim ? new KeyperShare(victim, corrupted) : x).ToArray();
        choose.Shuffle(released);

        BatchKeyOpening opening = BatchKeyOpener.Open(key.Commitments, released);
        ShareVerdict verdict = key.Commitments.Check(released.Single(x => x.Index == victim));
        bool named = opening.BadKeypers.Count == 1 && opening.BadKeypers[0].Index == victim && opening.BadKeypers[0].Verdict == verdict;
        bool opensIfEnoughRemain = s.N - 1 >= s.T
            ? opening.Status == BatchKeyOpeningStatus.Opened && opening.SecretKey.Span.SequenceEqual(secret)
            : opening.Status == BatchKeyOpeningStatus.NotEnoughValidShares;
        return verdict is ShareVerdict.WrongValue or ShareVerdict.NotAScalar && named && opensIfEnoughRemain &&
            !opening.ValidKeypers.Contains(victim);
    });

    private static (SharedBatchKey Key, byte[] Secret, Random Choose) Deal((int N, int T, int Seed) s)
    {
        using var random = new SeededRandom(s.Seed);
        var secret = new byte[KeyperShare.ValueLength];
        random.GetBytes(secret);
        secret[0] &= 0x7f;
        secret[^1] |= 1;
        var dealer = new TrustedDealer(random);
#pragma warning disable CA5394 // Only picks which shares to use.
        return (dealer.Share(secret, s.T, s.N), secret, new Random(s.Seed));
#pragma warning restore CA5394
    }

    private static KeyperShare[] Pick(IReadOnlyList<KeyperShare> shares, int count, Random choose)
    {
        KeyperShare[] all = [.. shares];
        choose.Shuffle(all);
        return all[..count];
    }
}
