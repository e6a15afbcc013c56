using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using NUnit.Framework;

namespace AuctionEngine.Tests.Threshold;

/// <summary>Opening a batch key from shares as keypers really release them: wrong, missing, repeated, out of range.</summary>
[TestFixture]
public sealed class BatchKeyOpenerTests
{
    // n − 1 in big-endian: the largest scalar; n itself and above are not scalars.
    private const string OrderMinusOne = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";
    private const string Order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

    private static int[] Keypers(params int[] indexes) => indexes;

    private static SharedBatchKey ThreeOfFive()
    {
        using var random = new SeededRandom(7);
        return new TrustedDealer(random).Generate(threshold: 3, keyperCount: 5);
    }

    [Test]
    public void SharesBeyondTheKeyperCountAndNonScalarsAreNamedNotThrown()
    {
        SharedBatchKey key = ThreeOfFive();
        KeyperShare[] released =
        [
            new(6, key.Shares[0].Value.Span),
            new(2, Convert.FromHexString(Order)),
            key.Shares[4], key.Shares[3], key.Shares[0],
        ];

        BatchKeyOpening opening = BatchKeyOpener.Open(key.Commitments, released);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.Opened));
            Assert.That(opening.BadKeypers, Is.EqualTo(new[] { new BadKeyper(2, ShareVerdict.NotAScalar), new BadKeyper(6, ShareVerdict.IndexOutOfRange) }));
            Assert.That(opening.ValidKeypers, Is.EqualTo(Keypers(1, 4, 5)));
            Assert.That(opening.SecretKey.ToArray(), Is.EqualTo(ShamirReconstruction.Reconstruct([.. key.Shares.Take(3)])));
        }
    }

    [Test]
    public void RepeatedCopiesOfAValidShareCountOnce()
    {
        SharedBatchKey key = ThreeOfFive();
        BatchKeyOpening opening = BatchKeyOpener.Open(key.Commitments, [key.Shares[0], key.Shares[0], key.Shares[1], key.Shares[1]]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.NotEnoughValidShares));
            Assert.That(opening.SecretKey.IsEmpty, Is.True);
            Assert.That(opening.ValidKeypers, Is.EqualTo(Keypers(1, 2)));
            Assert.That(opening.BadKeypers, Is.Empty);
            Assert.That(opening.Threshold, Is.EqualTo(3));
        }
    }

    [Test]
    public void AKeyperThatAlsoReleasesAConflictingShareIsNamedButItsValidShareStillCounts()
    {
        SharedBatchKey key = ThreeOfFive();
        var forged = new KeyperShare(3, Convert.FromHexString(OrderMinusOne));
        BatchKeyOpening opening = BatchKeyOpener.Open(key.Commitments, [forged, key.Shares[2], key.Shares[0], key.Shares[1]]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.Opened));
            Assert.That(opening.BadKeypers, Is.EqualTo(new[] { new BadKeyper(3, ShareVerdict.WrongValue) }));
            Assert.That(opening.ValidKeypers, Is.EqualTo(Keypers(1, 2, 3)));
        }
    }

    [Test]
    public void NothingReleasedIsNotEnough() =>
        Assert.That(BatchKeyOpener.Open(ThreeOfFive().Commitments, []).Status, Is.EqualTo(BatchKeyOpeningStatus.NotEnoughValidShares));

    [Test]
    public void TheResultDoesNotDependOnReleaseOrder()
    {
        SharedBatchKey key = ThreeOfFive();
        BatchKeyOpening forward = BatchKeyOpener.Open(key.Commitments, key.Shares);
        BatchKeyOpening backward = BatchKeyOpener.Open(key.Commitments, key.Shares.Reverse());

        Assert.That(backward.SecretKey.ToArray(), Is.EqualTo(forward.SecretKey.ToArray()));
    }

    [Test]
    public void MisuseThrowsTypedErrors()
    {
        SharedBatchKey key = ThreeOfFive();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new KeyperShare(0, new byte[32]), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new KeyperShare(-1, new byte[32]), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new KeyperShare(1, new byte[31]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => BatchKeyOpener.Open(key.Commitments, [key.Shares[0], null!]), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => BatchKeyOpener.Open(null!, key.Shares), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => ShamirReconstruction.Reconstruct([]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => ShamirReconstruction.Reconstruct([key.Shares[0], key.Shares[0]]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => ShamirReconstruction.Reconstruct([new KeyperShare(1, Convert.FromHexString(Order))]), Throws.TypeOf<ArgumentException>());
        }
    }
}
