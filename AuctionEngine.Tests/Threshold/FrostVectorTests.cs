using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using NUnit.Framework;

namespace AuctionEngine.Tests.Threshold;

/// <summary>
/// The key-generation inputs of the FROST(secp256k1, SHA-256) test vectors of RFC 9591 (t = 2, n = 3), taken from
/// ZcashFoundation/frost, frost-secp256k1/tests/helpers/vectors.json, and matching cfrg/draft-irtf-cfrg-frost,
/// poc/frost-secp256k1-sha256.json. FROST shares its key with the same Shamir polynomial, so the dealer must give
/// exactly these shares.
/// </summary>
[TestFixture]
public sealed class FrostVectorTests
{
    private const string GroupSecretKey = "0d004150d27c3bf2a42f312683d35fac7394b1e9e318249c1bfe7f0795a83114";
    private const string GroupPublicKey = "02f37c34b66ced1fb51c34a90bdae006901f10625cc06c4f64663b0eae87d87b4f";
    private const string Coefficient = "fbf85eadae3058ea14f19148bb72b45e4399c0b16028acaf0395c9b03c823579";

    private static readonly string[] ParticipantShares =
    [
        "08f89ffe80ac94dcb920c26f3f46140bfc7f95b493f8310f5fc1ea2b01f4254c",
        "04f0feac2edcedc6ce1253b7fab8c86b856a797f44d83d82a385554e6e401984",
        "00e95d59dd0d46b0e303e500b62b7ccb0e555d49f5b849f5e748c071da8c0dbc",
    ];

    private static SharedBatchKey Dealt() => TrustedDealer.Split(Convert.FromHexString(GroupSecretKey), [Convert.FromHexString(Coefficient)], keyperCount: 3);

    [Test]
    public void SplittingTheGroupSecretGivesThePublishedShares()
    {
        SharedBatchKey key = Dealt();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(key.Shares.Select(s => s.Index), Is.EqualTo(Enumerable.Range(1, 3)));
            Assert.That(key.Shares.Select(s => HexText.Lower(s.Value.Span)), Is.EqualTo(ParticipantShares));
            Assert.That(HexText.Lower(key.Commitments.GetPublicKey(compressed: true)), Is.EqualTo(GroupPublicKey));
            Assert.That(key.Commitments.GetCommitment(0), Is.EqualTo(key.Commitments.GetPublicKey(compressed: true)));
            Assert.That(key.Commitments.Threshold, Is.EqualTo(2));
            Assert.That(key.Commitments.KeyperCount, Is.EqualTo(3));
        }
    }

    [TestCase(1, 2)]
    [TestCase(1, 3)]
    [TestCase(2, 3)]
    [TestCase(3, 1)]
    public void AnyTwoPublishedSharesReconstructTheGroupSecret(int first, int second)
    {
        KeyperShare[] shares = [Published(first), Published(second)];
        SharedBatchKey key = Dealt();
        KeyperShareContext context = TestKeypers.Context(key);
        BatchKeyOpening opening = BatchKeyOpener.Open(context, TestKeypers.Registered(3), [.. shares.Select(s => context.Sign(s, TestKeypers.PrivateKey(s.Index)))]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(HexText.Lower(ShamirReconstruction.Reconstruct(shares)), Is.EqualTo(GroupSecretKey));
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.Opened));
            Assert.That(HexText.Lower(opening.SecretKey.Span), Is.EqualTo(GroupSecretKey));
            Assert.That(opening.BadKeypers, Is.Empty);
        }
    }

    [Test]
    public void EveryPublishedShareMatchesCommitmentsParsedFromTheirEncoding()
    {
        FeldmanCommitments dealt = Dealt().Commitments;
        var parsed = new FeldmanCommitments(3, [Convert.FromHexString(GroupPublicKey), dealt.GetCommitment(1, compressed: false)]);

        Assert.That(Enumerable.Range(1, 3).Select(i => parsed.Check(Published(i))), Is.All.EqualTo(ShareVerdict.Valid));
    }

    private static KeyperShare Published(int index) => new(index, Convert.FromHexString(ParticipantShares[index - 1]));
}
