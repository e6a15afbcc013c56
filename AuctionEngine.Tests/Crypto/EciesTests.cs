using System.Text;
using AuctionEngine.Crypto;
using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Crypto;

/// <summary>
/// ECIES against the known answers of ecies-rs (ecies/rs, src/elliptic/secp256k1.rs, tests test_known_encrypted and
/// test_known_shared_secret), round trips, and tamper detection.
/// </summary>
[TestFixture]
public sealed class EciesTests
{
    private const string KnownSecretKey = "e520872701d9ec44dbac2eab85512ad14ad0c42e01de56d7b528abd8524fcb47";

    private const string KnownCiphertext =
        "047be1885aeb48d4d4db0c992996725d3264784fef88c5b60782f8d0f940c213227fc3f904f846d5ec3d0fba6653754501e8ebadc421aa3892a20fef33cff020" +
        "6047058a4cfb4efbeae96b2d019b4ab2edce33328748a0d008a69c8f5816b72d45bd9b5a41bb6ea0127ab23057ec6fcd";

    /// <summary>A seed for the keys and nonce, and a plaintext of 0 to 300 bytes.</summary>
    private static readonly Arbitrary<(int Seed, byte[] Plaintext)> Messages = Arb.From(
        from seed in Gen.Choose(int.MinValue, int.MaxValue)
        from length in Gen.Choose(0, 300)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
        select (seed, bytes));

    [Test]
    public void DecryptsTheEciesRsKnownCiphertext()
    {
        byte[] ciphertext = Convert.FromHexString(KnownCiphertext);
        bool decrypted = Ecies.TryDecrypt(Convert.FromHexString(KnownSecretKey), ciphertext, out byte[]? plaintext);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ciphertext, Has.Length.EqualTo(112));
            Assert.That(decrypted, Is.True);
            Assert.That(plaintext is null ? null : Encoding.UTF8.GetString(plaintext), Is.EqualTo("hello world🌍"));
        }
    }

    [Test]
    public void DerivesTheEciesRsKnownSharedKey()
    {
        // ecies-rs encapsulate(sk = 2, pk = 3·G): the key from 2·G and the shared point 2·(3·G) = 6·G, both uncompressed.
        SharedBatchKey two = TrustedDealer.Split(Scalar(2), [], 1);
        SharedBatchKey six = TrustedDealer.Split(Scalar(6), [], 1);

        byte[] key = Ecies.DeriveKey(two.Commitments.GetPublicKey(), six.Commitments.GetPublicKey());

        Assert.That(HexText.Lower(key), Is.EqualTo("6f982d63e8590c9d9b5b4c1959ff80315d772edd8f60287c9361d548d5200f82"));
    }

    [FsCheck.NUnit.Property]
    public Property EncryptionRoundTrips() => Prop.ForAll(Messages, m =>
    {
        (byte[] secret, byte[] publicKey, SeededRandom random) = KeyPair(m.Seed);
        using (random)
        {
            byte[] ciphertext = Ecies.Encrypt(publicKey, m.Plaintext, random);
            return ciphertext.Length == m.Plaintext.Length + Ecies.Overhead && ciphertext[0] == 0x04 &&
                Ecies.TryDecrypt(secret, ciphertext, out byte[]? plaintext) && plaintext.SequenceEqual(m.Plaintext);
        }
    });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property CiphertextsAreBouncyCastlesByteForByte() => Prop.ForAll(Messages, Arb.From(Secp256k1Values.ShapedNonZeroScalars), (m, receiverKey) =>
    {
        // The same random bytes give the same ephemeral key and nonce, so the old BouncyCastle path and the
        // constant-time one must write the same ciphertext, to a compressed or an uncompressed receiver key.
        byte[] receiver = Secp256k1Values.G.Multiply(receiverKey).GetEncoded(compressed: m.Seed % 2 == 0);
        using var random = new SeededRandom(m.Seed);
        using var referenceRandom = new SeededRandom(m.Seed);
        byte[] ciphertext = Ecies.Encrypt(receiver, m.Plaintext, random);
        byte[] expected = BouncyCastleSecrets.Encrypt(receiver, m.Plaintext, referenceRandom);
        return ciphertext.SequenceEqual(expected) && Ecies.TryDecrypt(Secp256k1Values.Bytes(receiverKey), ciphertext, out byte[]? plaintext) &&
            plaintext.SequenceEqual(m.Plaintext);
    });

    [FsCheck.NUnit.Property]
    public Property AnyFlippedBitMakesDecryptionFail() => Prop.ForAll(Messages, Arb.From(Gen.Choose(0, int.MaxValue)), (m, position) =>
    {
        (byte[] secret, byte[] publicKey, SeededRandom random) = KeyPair(m.Seed);
        using (random)
        {
            byte[] ciphertext = Ecies.Encrypt(publicKey, m.Plaintext, random);
            int bit = position % (ciphertext.Length * 8);
            ciphertext[bit / 8] ^= (byte)(1 << (bit % 8));
            return !Ecies.TryDecrypt(secret, ciphertext, out byte[]? plaintext) && plaintext is null;
        }
    });

    [Test]
    public void TruncatedCiphertextsAndOtherKeysFailWithoutThrowing()
    {
        (byte[] secret, byte[] publicKey, SeededRandom random) = KeyPair(1);
        (byte[] otherSecret, _, SeededRandom other) = KeyPair(2);
        using (random)
        using (other)
        {
            byte[] ciphertext = Ecies.Encrypt(publicKey, "order"u8, random);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(Ecies.TryDecrypt(otherSecret, ciphertext, out _), Is.False);
                Assert.That(Ecies.TryDecrypt(secret, [], out _), Is.False);
                Assert.That(Ecies.TryDecrypt(secret, ciphertext.AsSpan(0, Ecies.Overhead - 1), out _), Is.False);
                Assert.That(Ecies.TryDecrypt(secret, ciphertext.AsSpan(0, ciphertext.Length - 1), out _), Is.False);
                Assert.That(Ecies.TryDecrypt(secret, new byte[200], out _), Is.False);
                Assert.That(Ecies.TryDecrypt(secret, ciphertext, out byte[]? plaintext) && plaintext.SequenceEqual("order"u8.ToArray()), Is.True);
            }
        }
    }

    [Test]
    public void AssociatedDataMustMatch()
    {
        (byte[] secret, byte[] publicKey, SeededRandom random) = KeyPair(5);
        using (random)
        {
            byte[] ciphertext = Ecies.Encrypt(publicKey, "order"u8, "batch 7"u8, random);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(Ecies.TryDecrypt(secret, ciphertext, "batch 7"u8, out _), Is.True);
                Assert.That(Ecies.TryDecrypt(secret, ciphertext, "batch 8"u8, out _), Is.False);
                Assert.That(Ecies.TryDecrypt(secret, ciphertext, out _), Is.False);
            }
        }
    }

    [Test]
    public void EncryptsToACompressedKeyToo()
    {
        using var random = new SeededRandom(11);
        SharedBatchKey key = new TrustedDealer(random).Generate(1, 1);
        byte[] ciphertext = Ecies.Encrypt(key.Commitments.GetPublicKey(compressed: true), "order"u8, random);

        Assert.That(Ecies.TryDecrypt(key.Shares[0].Value.Span, ciphertext, out _), Is.True);
    }

    [Test]
    public void AnOrderSealedToTheBatchKeyOpensOnceTKeypersRelease()
    {
        using var random = new SeededRandom(13);
        SharedBatchKey key = new TrustedDealer(random).Generate(threshold: 3, keyperCount: 5);
        byte[] sealedOrder = Ecies.Encrypt(key.Commitments.GetPublicKey(), "buy 40 @ 250010"u8, random);

        SignedKeyperShare[] released = TestKeypers.SignAll(key, TestKeypers.Context(key));
        BatchKeyOpening opening = BatchKeyOpener.Open(TestKeypers.Context(key), TestKeypers.Registered(5), [released[4], released[1], released[2]]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ecies.TryDecrypt(opening.SecretKey.Span, sealedOrder, out byte[]? order), Is.True);
            Assert.That(order, Is.EqualTo("buy 40 @ 250010"u8.ToArray()));
        }
    }

    [Test]
    public void MisuseThrowsTypedErrors()
    {
        using var random = new SeededRandom(17);
        byte[] notOnCurve = new byte[65];
        notOnCurve[0] = 0x04;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => Ecies.Encrypt(notOnCurve, "x"u8, random), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Ecies.Encrypt(new byte[33], "x"u8, random), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Ecies.Encrypt(TrustedDealer.Split(Scalar(2), [], 1).Commitments.GetPublicKey(), "x"u8, null!), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => Ecies.TryDecrypt(new byte[32], Convert.FromHexString(KnownCiphertext), out _), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Ecies.TryDecrypt(new byte[31], Convert.FromHexString(KnownCiphertext), out _), Throws.TypeOf<ArgumentException>());
        }
    }

    private static (byte[] Secret, byte[] PublicKey, SeededRandom Random) KeyPair(int seed)
    {
        var random = new SeededRandom(seed);
        SharedBatchKey key = new TrustedDealer(random).Generate(1, 1);
        return (key.Shares[0].Value.ToArray(), key.Commitments.GetPublicKey(), random);
    }

    private static byte[] Scalar(byte value)
    {
        var bytes = new byte[32];
        bytes[^1] = value;
        return bytes;
    }
}
