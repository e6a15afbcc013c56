using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using FsCheck;
using FsCheck.Fluent;

namespace AuctionEngine.Tests.Threshold;

/// <summary>
/// Feldman sharing with signed shares for random t ≤ n ≤ 7: any t valid shares open the key and fewer never do; a
/// keyper is named only for a wrong value it signed itself; and no permutation of the shares, and no forged,
/// replayed or malformed share added to them, changes the opened key or blames an honest keyper.
/// </summary>
public sealed class ThresholdProperties
{
    /// <summary>A sharing's shape and a seed for the dealer and for every choice of shares.</summary>
    private static readonly Arbitrary<(int N, int T, int Seed)> Sharings = Arb.From(
        from n in Gen.Choose(1, 7)
        from t in Gen.Choose(1, n)
        from seed in Gen.Choose(int.MinValue, int.MaxValue)
        select (n, t, seed));

    /// <summary>
    /// A sharing, how many honest keypers release (every count from none to all, so at, below and above t), how
    /// many forged or malformed shares are added, and whether one keyper also signs a wrong value.
    /// </summary>
    private static readonly Arbitrary<(int N, int T, int Seed, int Honest, int Noise, bool Dishonest)> Releases = Arb.From(
        from n in Gen.Choose(1, 7)
        from t in Gen.Choose(1, n)
        from seed in Gen.Choose(int.MinValue, int.MaxValue)
        from honest in Gen.Choose(0, n)
        from noise in Gen.Choose(0, 8)
        from dishonest in Gen.Elements(false, true)
        select (n, t, seed, honest, noise, dishonest));

    private static readonly byte[] ForgerKey = TestKeypers.PrivateKey(1_000);

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property AnyTValidSharesOpenTheKey() => Prop.ForAll(Sharings, s =>
    {
        (SharedBatchKey key, byte[] secret, Random choose) = Deal(s.N, s.T, s.Seed);
        KeyperShare[] some = Pick(key.Shares, s.T, choose);
        BatchKeyOpening opening = Open(key, s.N, SignAll(key, some));
        return ShamirReconstruction.Reconstruct(some).SequenceEqual(secret) &&
            opening.Status == BatchKeyOpeningStatus.Opened && opening.SecretKey.Span.SequenceEqual(secret) &&
            opening.BadKeypers.Count == 0 && opening.IgnoredShares.Count == 0 &&
            opening.ValidKeypers.SequenceEqual(some.Select(x => x.Index).Order());
    });

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property FewerThanTValidSharesNeverOpen() => Prop.ForAll(Sharings, s =>
    {
        (SharedBatchKey key, byte[] secret, Random choose) = Deal(s.N, s.T, s.Seed);
        KeyperShare[] some = Pick(key.Shares, s.T - 1, choose);
        BatchKeyOpening opening = Open(key, s.N, SignAll(key, some));
        bool interpolationMisses = some.Length == 0 || !ShamirReconstruction.Reconstruct(some).SequenceEqual(secret);
        return interpolationMisses && opening.Status == BatchKeyOpeningStatus.NotEnoughValidShares && opening.SecretKey.IsEmpty &&
            opening.ValidKeypers.Count == s.T - 1 && opening.BadKeypers.Count == 0;
    });

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property AValidlySignedCorruptedShareNamesItsKeyperAndTheRestStillOpen() => Prop.ForAll(Sharings, s =>
    {
        (SharedBatchKey key, byte[] secret, Random choose) = Deal(s.N, s.T, s.Seed);
        KeyperShareContext context = TestKeypers.Context(key);
        int victim = choose.Next(1, s.N + 1);
        byte[] corrupted = key.Shares[victim - 1].Value.ToArray();
        corrupted[choose.Next(corrupted.Length)] ^= (byte)(1 << choose.Next(8));
        SignedKeyperShare[] released = [.. key.Shares.Select(x => x.Index == victim ? TestKeypers.Signed(context, victim, corrupted) : key.SignShare(context, x.Index, TestKeypers.PrivateKey(x.Index)))];
        choose.Shuffle(released);

        BatchKeyOpening opening = Open(key, s.N, released);
        ShareVerdict verdict = key.Commitments.Check(new KeyperShare(victim, corrupted));
        bool named = opening.BadKeypers.SequenceEqual([new BadKeyper(victim, verdict)]);
        bool opensIfEnoughRemain = s.N - 1 >= s.T
            ? opening.Status == BatchKeyOpeningStatus.Opened && opening.SecretKey.Span.SequenceEqual(secret)
            : opening.Status == BatchKeyOpeningStatus.NotEnoughValidShares;
        return verdict is ShareVerdict.WrongValue or ShareVerdict.NotAScalar && named && opensIfEnoughRemain &&
            !opening.ValidKeypers.Contains(victim) && opening.IgnoredShares.Count == 0;
    });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property NoOrderAndNoForgedOrMalformedShareChangesTheKeyOrBlamesAnHonestKeyper() => Prop.ForAll(Releases, r =>
    {
        (SharedBatchKey key, byte[] secret, Random choose) = Deal(r.N, r.T, r.Seed);
        KeyperShareContext context = TestKeypers.Context(key);
        KeyperShare[] honest = Pick(key.Shares, r.Honest, choose);
        List<SignedKeyperShare> released = [.. SignAll(key, honest)];

        // At most one keyper signs a wrong value, with or without also releasing its right one.
        int dishonest = r.Dishonest ? choose.Next(1, r.N + 1) : 0;
        if (dishonest > 0)
        {
            byte[] wrong = key.Shares[dishonest - 1].Value.ToArray();
            wrong[choose.Next(wrong.Length)] ^= (byte)(1 << choose.Next(8));
            released.Add(TestKeypers.Signed(context, dishonest, wrong));
        }

        SignedKeyperShare[] withoutNoise = [.. released];
        for (int i = 0; i < r.Noise; i++)
        {
            released.Add(Noise(key, context, withoutNoise, r.N, choose));
        }

        SignedKeyperShare[] shuffled = [.. released];
        choose.Shuffle(shuffled);
        BatchKeyOpening opening = Open(key, r.N, shuffled);
        BatchKeyOpening inOrder = Open(key, r.N, released);
        BatchKeyOpening noiseless = Open(key, r.N, withoutNoise);

        int[] expectedValid = [.. honest.Select(x => x.Index).Order()];
        bool opensExactlyWithT = honest.Length >= r.T
            ? opening.Status == BatchKeyOpeningStatus.Opened && opening.SecretKey.Span.SequenceEqual(secret)
            : opening.Status == BatchKeyOpeningStatus.NotEnoughValidShares && opening.SecretKey.IsEmpty;
        bool blamesOnlyTheDishonest = opening.BadKeypers.Select(b => b.Index).SequenceEqual(dishonest > 0 ? [dishonest] : []);
        bool noiseChangesNothing = opening.SecretKey.Span.SequenceEqual(noiseless.SecretKey.Span) &&
            opening.ValidKeypers.SequenceEqual(noiseless.ValidKeypers) && opening.BadKeypers.SequenceEqual(noiseless.BadKeypers);
        bool orderChangesNothing = opening.SecretKey.Span.SequenceEqual(inOrder.SecretKey.Span) &&
            opening.ValidKeypers.SequenceEqual(inOrder.ValidKeypers) && opening.BadKeypers.SequenceEqual(inOrder.BadKeypers) &&
            opening.IgnoredShares.SequenceEqual(inOrder.IgnoredShares);
        return (opensExactlyWithT && opening.ValidKeypers.SequenceEqual(expectedValid) && blamesOnlyTheDishonest && noiseChangesNothing && orderChangesNothing)
            .Label($"valid [{string.Join(",", opening.ValidKeypers)}] bad [{string.Join(",", opening.BadKeypers)}] ignored [{string.Join(",", opening.IgnoredShares)}]");
    });

    /// <summary>
    /// One share nobody honest signed for this batch, or a copy of one already released: an index no keyper has, a
    /// malformed value or signature, a forger's signature, a keyper's signature for another batch, or a keyper's
    /// signature moved to another index or value.
    /// </summary>
    private static SignedKeyperShare Noise(SharedBatchKey key, KeyperShareContext context, SignedKeyperShare[] released, int n, Random choose)
    {
        int index = choose.Next(1, n + 1);
        byte[] value = key.Shares[index - 1].Value.ToArray();
        switch (choose.Next(10))
        {
            case 0:
                int[] outside = [0, -1, n + 1, int.MinValue, int.MaxValue, choose.Next(int.MinValue, 1), choose.Next(n + 1, int.MaxValue)];
                return new SignedKeyperShare(outside[choose.Next(outside.Length)], value, Random(choose, 65));
            case 1:
                int length = choose.Next(0, 64);
                return Sign(context, index, Random(choose, length >= 32 ? length + 1 : length), ForgerKey, keepIndex: true);
            case 2:
                return new SignedKeyperShare(index, value, Random(choose, 65));
            case 3:
                int signatureLength = choose.Next(0, 100);
                return new SignedKeyperShare(index, value, Random(choose, signatureLength == 65 ? 64 : signatureLength));
            case 4:
                return Sign(context, index, Random(choose, 32), ForgerKey);
            case 5:
                return Sign(context, index, value, ForgerKey);
            case 6:
                KeyperShareContext elsewhere = TestKeypers.Context(key, batchId: SealedBatchScenario.BatchId + 1 + (ulong)choose.Next(1_000));
                return key.SignShare(elsewhere, index, TestKeypers.PrivateKey(index));
            case 7:
                SignedKeyperShare moved = key.SignShare(context, index, TestKeypers.PrivateKey(index));
                int to = n == 1 ? 2 : ((index + choose.Next(1, n) - 1) % n) + 1;
                return new SignedKeyperShare(to, moved.Value.Span, moved.Signature.Span);
            case 8:
                SignedKeyperShare tampered = key.SignShare(context, index, TestKeypers.PrivateKey(index));
                value[choose.Next(value.Length)] ^= (byte)(1 << choose.Next(8));
                return new SignedKeyperShare(index, value, tampered.Signature.Span);
            default:
                return released.Length == 0 ? new SignedKeyperShare(index, [], []) : released[choose.Next(released.Length)];
        }
    }

    /// <summary>A signature by <paramref name="privateKey"/> over the digest of a 32-byte value; with another length, over a random one.</summary>
    private static SignedKeyperShare Sign(KeyperShareContext context, int index, byte[] value, byte[] privateKey, bool keepIndex = false)
    {
        SignedKeyperShare signed = TestKeypers.Signed(context, index, value.Length == 32 ? value : new byte[32], privateKey);
        return keepIndex ? new SignedKeyperShare(index, value, signed.Signature.Span) : signed;
    }

    private static byte[] Random(Random choose, int length)
    {
        var bytes = new byte[length];
        choose.NextBytes(bytes);
        return bytes;
    }

    private static BatchKeyOpening Open(SharedBatchKey key, int n, IEnumerable<SignedKeyperShare> released) =>
        BatchKeyOpener.Open(TestKeypers.Context(key), TestKeypers.Registered(n), released);

    private static SignedKeyperShare[] SignAll(SharedBatchKey key, IEnumerable<KeyperShare> shares)
    {
        KeyperShareContext context = TestKeypers.Context(key);
        return [.. shares.Select(share => key.SignShare(context, share.Index, TestKeypers.PrivateKey(share.Index)))];
    }

    private static (SharedBatchKey Key, byte[] Secret, Random Choose) Deal(int n, int t, int seed)
    {
        using var random = new SeededRandom(seed);
        var secret = new byte[KeyperShare.ValueLength];
        random.GetBytes(secret);
        secret[0] &= 0x7f;
        secret[^1] |= 1;
        var dealer = new TrustedDealer(random);
#pragma warning disable CA5394 // Only picks which shares to use and how to damage them.
        return (dealer.Share(secret, t, n), secret, new Random(seed));
#pragma warning restore CA5394
    }

    private static KeyperShare[] Pick(IReadOnlyList<KeyperShare> shares, int count, Random choose)
    {
        KeyperShare[] all = [.. shares];
        choose.Shuffle(all);
        return all[..count];
    }
}
