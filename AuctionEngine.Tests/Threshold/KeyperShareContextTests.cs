using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using NUnit.Framework;

namespace AuctionEngine.Tests.Threshold;

/// <summary>
/// The message a keyper signs: every field of it is bound, the encoding is the documented EIP-712 one, and misuse by
/// the signing caller throws. <see cref="KeyperShareFixtureTests"/> checks the same encoding against ethers.
/// </summary>
[TestFixture]
public sealed class KeyperShareContextTests
{
    private static readonly SharedBatchKey Key = new TrustedDealer(new SeededRandom(4)).Generate(threshold: 2, keyperCount: 3);

    private static readonly KeyperShareContext Context = TestKeypers.Context(Key);

    [Test]
    public void TheDigestIsTheDocumentedEip712EncodingWordForWord()
    {
        byte[] value = Key.Shares[1].Value.ToArray();
        var words = new byte[6 * 32];
        Keccak256.Hash("KeyperShare(address market,uint64 batchId,bytes32 sharingHash,uint32 index,bytes32 value)"u8).WriteTo(words);
        SealedBatchScenario.MarketAddress.WriteTo(words.AsSpan(32 + 12));
        words[(2 * 32) + 31] = (byte)SealedBatchScenario.BatchId;
        Key.Commitments.SharingHash.WriteTo(words.AsSpan(3 * 32));
        words[(4 * 32) + 31] = 2;
        value.CopyTo(words, 5 * 32);
        byte[] prefixed = [0x19, 0x01, .. SealedBatchScenario.Domain.Separator.ToArray(), .. Keccak256.Hash(words).ToArray()];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(KeyperShareContext.TypeHash, Is.EqualTo(new Hash32(words.AsSpan(0, 32))));
            Assert.That(Context.ComputeDigest(2, value), Is.EqualTo(Keccak256.Hash(prefixed)));
        }
    }

    [Test]
    public void TheSharingHashCoversEveryCommitmentInOrder()
    {
        byte[] packed = [.. Enumerable.Range(0, Key.Commitments.Threshold).SelectMany(j => Key.Commitments.GetCommitment(j, compressed: false)[1..])];
        var parsed = new FeldmanCommitments(3, Enumerable.Range(0, 2).Select(j => Key.Commitments.GetCommitment(j, compressed: true)));
        var swapped = new FeldmanCommitments(3, [Key.Commitments.GetCommitment(1), Key.Commitments.GetCommitment(0)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Key.Commitments.SharingHash, Is.EqualTo(Keccak256.Hash(packed)));
            Assert.That(parsed.SharingHash, Is.EqualTo(Key.Commitments.SharingHash), "compressed or not, the same points name the same sharing");
            Assert.That(swapped.SharingHash, Is.Not.EqualTo(Key.Commitments.SharingHash));
        }
    }

    [Test]
    public void ChangingAnyFieldChangesTheDigest()
    {
        SharedBatchKey sameSecretResharded = new TrustedDealer(new SeededRandom(5)).Share(ShamirReconstruction.Reconstruct([.. Key.Shares]), 2, 3);
        byte[] value = Key.Shares[0].Value.ToArray();
        byte[] otherValue = [.. value];
        otherValue[0] ^= 0x80;
        Hash32[] digests =
        [
            Context.ComputeDigest(1, value),
            Context.ComputeDigest(2, value),
            Context.ComputeDigest(1, otherValue),
            TestKeypers.Context(Key, batchId: SealedBatchScenario.BatchId + 1).ComputeDigest(1, value),
            TestKeypers.Context(Key, market: Address.Parse("0x00000000000000000000000000000000000000ab")).ComputeDigest(1, value),
            TestKeypers.Context(Key, domain: new Eip712Domain("AuctionEngine", "1", 1, SealedBatchScenario.Domain.VerifyingContract)).ComputeDigest(1, value),
            TestKeypers.Context(sameSecretResharded).ComputeDigest(1, value),
        ];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sameSecretResharded.Commitments.GetPublicKey(), Is.EqualTo(Key.Commitments.GetPublicKey()));
            Assert.That(digests, Is.Unique);
        }
    }

    [Test]
    public void ASignedShareRecoversToItsKeyper()
    {
        SignedKeyperShare signed = Key.SignShare(Context, 3, TestKeypers.PrivateKey(3));
        byte[] digest = Context.ComputeDigest(3, Key.Shares[2].Value.Span).ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(signed.Index, Is.EqualTo(3));
            Assert.That(signed.Value.ToArray(), Is.EqualTo(Key.Shares[2].Value.ToArray()));
            Assert.That(signed.Signature.Length, Is.EqualTo(Secp256k1.SignatureSize));
            Assert.That(Secp256k1.RecoverAddress(digest, signed.Signature.Span, out Address signer), Is.EqualTo(SignatureStatus.Valid));
            Assert.That(signer, Is.EqualTo(TestKeypers.AddressOf(3)));
        }
    }

    [Test]
    public void MisuseByTheSignerThrowsTypedErrors()
    {
        SharedBatchKey other = new TrustedDealer(new SeededRandom(6)).Generate(threshold: 2, keyperCount: 3);
        byte[] value = Key.Shares[0].Value.ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new KeyperShareContext(null!, Address.Zero, 1, Key.Commitments), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => new KeyperShareContext(SealedBatchScenario.Domain, Address.Zero, 1, null!), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => Context.ComputeDigest(0, value), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Context.ComputeDigest(4, value), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Context.ComputeDigest(1, value.AsSpan(1)), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Context.Sign(null!, TestKeypers.PrivateKey(1)), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => Context.Sign(new KeyperShare(4, value), TestKeypers.PrivateKey(1)), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Context.Sign(Key.Shares[0], new byte[32]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Key.SignShare(null!, 1, TestKeypers.PrivateKey(1)), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => Key.SignShare(TestKeypers.Context(other), 1, TestKeypers.PrivateKey(1)), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Key.SignShare(Context, 0, TestKeypers.PrivateKey(1)), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Key.SignShare(Context, 4, TestKeypers.PrivateKey(1)), Throws.TypeOf<ArgumentOutOfRangeException>());
        }
    }
}
