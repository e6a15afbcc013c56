using System.Numerics;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Org.BouncyCastle.Crypto.EC;

namespace AuctionEngine.Tests.Crypto;

/// <summary>
/// secp256k1 signing and recovery: known keys and addresses, every way a signature is rejected, and properties of
/// sign-then-recover over random keys and digests.
/// </summary>
[TestFixture]
public sealed class Secp256k1Tests
{
    private static readonly BigInteger N = BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly byte[] Digest = Keccak256.HashData("a message"u8);

    private static readonly Arbitrary<byte[]> PrivateKeys =
        Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), Secp256k1.PrivateKeySize).Where(key => Secp256k1.IsValidPrivateKey(key)));

    private static readonly Arbitrary<byte[]> Digests = Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), Secp256k1.DigestSize));

    // The addresses as wallets print them, EIP-55 checksummed (the second is web3.js's accounts example).
    [TestCase("0x0000000000000000000000000000000000000000000000000000000000000001", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")]
    [TestCase("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23")]
    public void AddressOfAPrivateKey(string privateKey, string address)
    {
        byte[] key = Hash32.Parse(privateKey).ToArray();
        var publicKey = new byte[Secp256k1.PublicKeySize];
        Secp256k1.GetPublicKey(key, publicKey);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Secp256k1.AddressFromPrivateKey(key).ToString(), Is.EqualTo(address));
            Assert.That(publicKey[0], Is.EqualTo(0x04));
            Assert.That(Secp256k1.AddressFromPublicKey(publicKey).ToString(), Is.EqualTo(address));
            Assert.That(Secp256k1.AddressFromPublicKey(publicKey.AsSpan(1)).ToString(), Is.EqualTo(address));
        }
    }

    [Test]
    public void AddressFromPublicKeyNeedsAnUncompressedKey()
    {
        var publicKey = new byte[Secp256k1.PublicKeySize];
        Secp256k1.GetPublicKey(Key(1), publicKey);
        byte[] compressedPrefix = [0x02, .. publicKey[1..]];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => Secp256k1.AddressFromPublicKey(compressedPrefix), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Secp256k1.AddressFromPublicKey(publicKey.AsSpan(0, 33).ToArray()), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Secp256k1.GetPublicKey(Key(1), new byte[64]), Throws.TypeOf<ArgumentException>());
        }
    }

    [Test]
    public void PrivateKeysAreOneToNMinusOne()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Secp256k1.IsValidPrivateKey(Key(1)), Is.True);
            Assert.That(Secp256k1.IsValidPrivateKey(Key(N - 1)), Is.True);
            Assert.That(Secp256k1.IsValidPrivateKey(Key(0)), Is.False);
            Assert.That(Secp256k1.IsValidPrivateKey(Key(N)), Is.False);
            Assert.That(Secp256k1.IsValidPrivateKey(new byte[31]), Is.False);
            Assert.That(() => Secp256k1.Sign(Digest, Key(N), new byte[65]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Secp256k1.AddressFromPrivateKey(Key(0)), Throws.TypeOf<ArgumentException>());
        }
    }

    [Test]
    public void MisuseByTheCallerThrows()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => Secp256k1.Sign(new byte[31], Key(1), new byte[65]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Secp256k1.Sign(Digest, Key(1), new byte[64]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Secp256k1.RecoverAddress(new byte[33], new byte[65], out _), Throws.TypeOf<ArgumentException>());
        }
    }

    [Test]
    public void SigningIsDeterministicLowSAndRecoverable()
    {
        byte[] key = Keccak256.HashData("cow"u8);
        byte[] first = Sign(Digest, key);
        byte[] second = Sign(Digest, key);
        SignatureStatus status = Secp256k1.RecoverAddress(Digest, first, out Address signer);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(first[64], Is.EqualTo(27).Or.EqualTo(28));
            Assert.That(S(first), Is.LessThanOrEqualTo(N / 2));
            Assert.That(status, Is.EqualTo(SignatureStatus.Valid));
            Assert.That(signer, Is.EqualTo(Address.Parse("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")));
        }
    }

    [Test]
    public void AcceptsVAsZeroOrOne()
    {
        byte[] signature = Sign(Digest, Key(7));
        byte[] raw = [.. signature[..64], (byte)(signature[64] - 27)];

        Assert.That(Secp256k1.TryRecoverAddress(Digest, raw, out Address signer) && signer == Secp256k1.AddressFromPrivateKey(Key(7)), Is.True);
    }

    [TestCase(64)]
    [TestCase(66)]
    [TestCase(0)]
    public void RejectsTheWrongLength(int length) => AssertRejected(new byte[length], SignatureStatus.WrongLength);

    [TestCase(2)]
    [TestCase(26)]
    [TestCase(29)]
    [TestCase(255)]
    public void RejectsAnUnknownV(int v) => AssertRejected(With(Sign(Digest, Key(7)), v: (byte)v), SignatureStatus.InvalidRecoveryId);

    [Test]
    public void RejectsROutOfRange()
    {
        byte[] signature = Sign(Digest, Key(7));

        using (Assert.EnterMultipleScope())
        {
            AssertRejected(With(signature, r: 0), SignatureStatus.RNotInRange);
            AssertRejected(With(signature, r: N), SignatureStatus.RNotInRange);
            AssertRejected(With(signature, r: (BigInteger.One << 256) - 1), SignatureStatus.RNotInRange);
        }
    }

    [Test]
    public void RejectsSOutOfRange()
    {
        byte[] signature = Sign(Digest, Key(7));

        using (Assert.EnterMultipleScope())
        {
            AssertRejected(With(signature, s: 0), SignatureStatus.SNotInRange);
            AssertRejected(With(signature, s: N), SignatureStatus.SNotInRange);
        }
    }

    [Test]
    public void RejectsTheHighSTwinOfAValidSignature()
    {
        byte[] signature = Sign(Digest, Key(7));
        byte[] twin = With(signature, s: N - S(signature), v: (byte)(signature[64] ^ 27 ^ 28));

        using (Assert.EnterMultipleScope())
        {
            AssertRejected(twin, SignatureStatus.HighS);
            AssertRejected(With(signature, s: (N / 2) + 1), SignatureStatus.HighS);
            Assert.That(Secp256k1.TryRecoverAddress(Digest, With(signature, s: N / 2), out _), Is.True, "n / 2 itself is low");
        }
    }

    [Test]
    public void RejectsAnRThatIsNoPointsXCoordinate() =>
        // x³ + 7 has no square root modulo p for x = 5.
        AssertRejected(With(Sign(Digest, Key(7)), r: 5), SignatureStatus.NoCurvePoint);

    [Test]
    public void RejectsASignatureThatRecoversThePointAtInfinity()
    {
        // With R = 2G, s = 1 and e = 2, Q = r⁻¹ (s R − e G) = r⁻¹ (2G − 2G) is the point at infinity.
        var curve = CustomNamedCurves.GetByName("secp256k1");
        var twoG = curve.G.Multiply(Org.BouncyCastle.Math.BigInteger.Two).Normalize();
        var r = new BigInteger(twoG.AffineXCoord.GetEncoded(), isUnsigned: true, isBigEndian: true);
        byte v = (byte)(twoG.AffineYCoord.TestBitZero() ? 28 : 27);
        byte[] signature = [.. Word(r), .. Word(1), v];

        Assert.That(Secp256k1.RecoverAddress(Word(2), signature, out Address signer), Is.EqualTo(SignatureStatus.PointAtInfinity));
        Assert.That(signer, Is.EqualTo(Address.Zero));
    }

    [FsCheck.NUnit.Property(MaxTest = 50)]
    public Property SignThenRecoverGivesTheSignersAddress() => Prop.ForAll(PrivateKeys, Digests, (key, digest) =>
    {
        byte[] signature = Sign(digest, key);
        return Secp256k1.RecoverAddress(digest, signature, out Address signer) == SignatureStatus.Valid &&
            signer == Secp256k1.AddressFromPrivateKey(key) && S(signature) <= N / 2;
    });

    [FsCheck.NUnit.Property(MaxTest = 50)]
    public Property AnyFlippedSignatureBitLosesTheSigner() =>
        Prop.ForAll(PrivateKeys, Digests, Arb.From(Gen.Choose(0, (8 * Secp256k1.SignatureSize) - 1)), (key, digest, bit) =>
        {
            byte[] signature = Sign(digest, key);
            signature[bit / 8] ^= (byte)(1 << (bit % 8));
            return !Secp256k1.TryRecoverAddress(digest, signature, out Address signer) || signer != Secp256k1.AddressFromPrivateKey(key);
        });

    [FsCheck.NUnit.Property(MaxTest = 50)]
    public Property AnyFlippedDigestBitChangesTheRecoveredAddress() =>
        Prop.ForAll(PrivateKeys, Digests, Arb.From(Gen.Choose(0, (8 * Secp256k1.DigestSize) - 1)), (key, digest, bit) =>
        {
            byte[] signature = Sign(digest, key);
            byte[] other = [.. digest];
            other[bit / 8] ^= (byte)(1 << (bit % 8));
            return Secp256k1.RecoverAddress(other, signature, out Address signer) == SignatureStatus.Valid &&
                signer != Secp256k1.AddressFromPrivateKey(key);
        });

    private static void AssertRejected(byte[] signature, SignatureStatus expected)
    {
        SignatureStatus status = Secp256k1.RecoverAddress(Digest, signature, out Address signer);
        bool recovered = Secp256k1.TryRecoverAddress(Digest, signature, out Address trySigner);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(expected));
            Assert.That(signer, Is.EqualTo(Address.Zero));
            Assert.That(recovered, Is.False);
            Assert.That(trySigner, Is.EqualTo(Address.Zero));
        }
    }

    private static byte[] Sign(byte[] digest, byte[] key)
    {
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digest, key, signature);
        return signature;
    }

    private static byte[] Key(BigInteger value) => Word(value);

    private static byte[] Word(BigInteger value)
    {
        var word = new byte[32];
        byte[] bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }

    private static BigInteger S(byte[] signature) => new(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);

    private static byte[] With(byte[] signature, BigInteger? r = null, BigInteger? s = null, byte? v = null)
    {
        byte[] copy = [.. signature];
        if (r is { } newR)
        {
            Word(newR).CopyTo(copy, 0);
        }

        if (s is { } newS)
        {
            Word(newS).CopyTo(copy, 32);
        }

        if (v is { } newV)
        {
            copy[64] = newV;
        }

        return copy;
    }
}
