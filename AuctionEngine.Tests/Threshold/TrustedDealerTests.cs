using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using NUnit.Framework;

namespace AuctionEngine.Tests.Threshold;

/// <summary>The dealer and the commitments it publishes: reproducible, validated, and checkable by anyone.</summary>
[TestFixture]
public sealed class TrustedDealerTests
{
    [Test]
    public void TheSameSeedDealsTheSameKey()
    {
        using var first = new SeededRandom(42);
        using var second = new SeededRandom(42);
        SharedBatchKey a = new TrustedDealer(first).Generate(2, 4);
        SharedBatchKey b = new TrustedDealer(second).Generate(2, 4);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(b.Commitments.GetPublicKey(), Is.EqualTo(a.Commitments.GetPublicKey()));
            Assert.That(b.Shares.Select(s => s.Value.ToArray()), Is.EqualTo(a.Shares.Select(s => s.Value.ToArray())));
            Assert.That(a.Commitments.GetPublicKey(), Has.Length.EqualTo(65));
            Assert.That(a.Commitments.GetPublicKey()[0], Is.EqualTo(0x04));
        }
    }

    [Test]
    public void CommitmentsSurviveTheirEncodingAndStillVerifyEveryShare()
    {
        using var random = new SeededRandom(3);
        SharedBatchKey key = new TrustedDealer(random).Generate(3, 4);
        var parsed = new FeldmanCommitments(4, Enumerable.Range(0, 3).Select(j => key.Commitments.GetCommitment(j)));

        Assert.That(key.Shares.Select(parsed.Verify), Is.All.True);
    }

    [Test]
    public void AThresholdOfOneGivesEveryKeyperTheSecret()
    {
        byte[] secret = Convert.FromHexString("0d004150d27c3bf2a42f312683d35fac7394b1e9e318249c1bfe7f0795a83114");
        SharedBatchKey key = TrustedDealer.Split(secret, [], keyperCount: 3);

        Assert.That(key.Shares.Select(s => s.Value.ToArray()), Is.All.EqualTo(secret));
    }

    [TestCase(0, 3)]
    [TestCase(4, 3)]
    [TestCase(1, 0)]
    public void RejectsAThresholdOutsideOneToN(int threshold, int keyperCount)
    {
        using var random = new SeededRandom(1);
        Assert.That(() => new TrustedDealer(random).Generate(threshold, keyperCount), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void RejectsSecretsAndCoefficientsThatAreNotNonZeroScalars()
    {
        byte[] one = new byte[32];
        one[^1] = 1;
        using var random = new SeededRandom(1);
        var dealer = new TrustedDealer(random);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => dealer.Share(new byte[32], 2, 3), Throws.TypeOf<ArgumentException>());
            Assert.That(() => dealer.Share(new byte[31], 2, 3), Throws.TypeOf<ArgumentException>());
            Assert.That(() => TrustedDealer.Split(one, [new byte[32]], 3), Throws.TypeOf<ArgumentException>());
            Assert.That(() => TrustedDealer.Split(one, [Enumerable.Repeat((byte)0xff, 32).ToArray()], 3), Throws.TypeOf<ArgumentException>());
            Assert.That(() => TrustedDealer.Split(one, [one, one], 2), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new TrustedDealer(null!), Throws.TypeOf<ArgumentNullException>());
        }
    }

    [Test]
    public void RejectsCommitmentsThatAreNotPoints()
    {
        byte[] notOnCurve = new byte[33];
        notOnCurve[0] = 0x02;
        notOnCurve[^1] = 5;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new FeldmanCommitments(3, Encodings(notOnCurve)), Throws.TypeOf<ArgumentException>());
            Assert.That(() => new FeldmanCommitments(3, Encodings([0x00])), Throws.TypeOf<ArgumentException>());
            Assert.That(() => new FeldmanCommitments(3, Encodings([])), Throws.TypeOf<ArgumentException>());
            Assert.That(() => new FeldmanCommitments(3, Encodings()), Throws.TypeOf<ArgumentException>());
        }
    }

    [Test]
    public void ABundleWhoseSharesDoNotMatchItsCommitmentsIsRefused()
    {
        using var random = new SeededRandom(9);
        var dealer = new TrustedDealer(random);
        SharedBatchKey a = dealer.Generate(2, 3);
        SharedBatchKey b = dealer.Generate(2, 3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new SharedBatchKey(a.Commitments, b.Shares), Throws.TypeOf<ArgumentException>());
            Assert.That(() => new SharedBatchKey(a.Commitments, [.. a.Shares.Take(2)]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => new SharedBatchKey(a.Commitments, [.. a.Shares.Reverse()]), Throws.TypeOf<ArgumentException>());
            Assert.That(new SharedBatchKey(a.Commitments, a.Shares).Shares, Has.Count.EqualTo(3));
        }
    }

    private static byte[][] Encodings(params byte[][] encodings) => encodings;
}
