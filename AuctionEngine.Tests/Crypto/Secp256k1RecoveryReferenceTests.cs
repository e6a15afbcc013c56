using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Utilities;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace AuctionEngine.Tests.Crypto;

/// <summary>
/// Recovery with the engine's own curve arithmetic gives the same verdict and the same address as the BouncyCastle
/// implementation it replaced, on real signatures and on arbitrary 65-byte strings.
/// </summary>
[TestFixture]
public sealed class Secp256k1RecoveryReferenceTests
{
    private static readonly BigInteger N = CustomNamedCurves.GetByName("secp256k1").N;

    private static readonly Gen<byte[]> Words = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32);

    /// <summary>r or s: random words, and the edges of [1, n − 1] and just outside.</summary>
    private static readonly Gen<byte[]> Scalars = Gen.Frequency(
        (3, Words),
        (3, Words.Select(w => new BigInteger(1, w).ShiftRight(1).ToByteArrayUnsigned()).Select(Pad)),
        (1, Gen.Elements(BigInteger.Zero, BigInteger.One, BigInteger.Two, N.Subtract(BigInteger.One), N, N.ShiftRight(1),
            N.ShiftRight(1).Add(BigInteger.One)).Select(x => BigIntegers.AsUnsignedByteArray(32, x))));

    private static readonly Arbitrary<(byte[] Digest, byte[] Signature)> ArbitrarySignatures = Arb.From(
        from digest in Gen.Frequency((4, Words), (1, Gen.Constant(new byte[32])), (1, Gen.Constant(BigIntegers.AsUnsignedByteArray(32, N))))
        from r in Scalars
        from s in Scalars
        from v in Gen.Frequency((8, Gen.Elements<byte>(0, 1, 27, 28)), (1, Gen.Choose(0, 255).Select(b => (byte)b)))
        select (digest, (byte[])[.. r, .. s, v]));

    private static readonly Arbitrary<(byte[] Key, byte[] Digest)> KeysAndDigests = Arb.From(
        from key in Words.Where(k => Secp256k1.IsValidPrivateKey(k))
        from digest in Words
        select (key, digest));

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property ArbitrarySignaturesGetBouncyCastlesVerdict() => Prop.ForAll(ArbitrarySignatures, x =>
    {
        SignatureStatus expected = BouncyCastleRecovery.RecoverAddress(x.Digest, x.Signature, out Address expectedSigner);
        SignatureStatus actual = Secp256k1.RecoverAddress(x.Digest, x.Signature, out Address signer);
        return (actual == expected && signer == expectedSigner).Label($"{actual} {signer} vs {expected} {expectedSigner}");
    });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property RealSignaturesRecoverBouncyCastlesAddress() => Prop.ForAll(KeysAndDigests, x =>
    {
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(x.Digest, x.Key, signature);
        SignatureStatus expected = BouncyCastleRecovery.RecoverAddress(x.Digest, signature, out Address expectedSigner);
        SignatureStatus actual = Secp256k1.RecoverAddress(x.Digest, signature, out Address signer);
        return expected == SignatureStatus.Valid && actual == SignatureStatus.Valid && signer == expectedSigner &&
            signer == Secp256k1.AddressFromPrivateKey(x.Key);
    });

    private static byte[] Pad(byte[] bytes)
    {
        var word = new byte[32];
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }
}
