using System.Security.Cryptography;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Utilities;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace AuctionEngine.Tests.Support;

/// <summary>
/// Signing, key derivation and ECIES encryption as the engine did them before its constant-time code, entirely with
/// BouncyCastle (its ECDSA signer with the RFC 6979 nonce calculator, its default multiplier): the reference the
/// constant-time code must agree with byte for byte.
/// </summary>
internal static class BouncyCastleSecrets
{
    private static readonly Org.BouncyCastle.Asn1.X9.X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);
    private static readonly BigInteger HalfN = Curve.N.ShiftRight(1);

    public static byte[] PublicKey(byte[] privateKey) => Curve.G.Multiply(new BigInteger(1, privateKey)).Normalize().GetEncoded(false);

    /// <summary>r ‖ s ‖ v with low s; the recovery id is the one that recovers the signer's own address.</summary>
    public static byte[] Sign(byte[] digest, byte[] privateKey)
    {
        var ecdsa = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        ecdsa.Init(true, new ECPrivateKeyParameters(new BigInteger(1, privateKey), Domain));
        BigInteger[] rs = ecdsa.GenerateSignature(digest);
        BigInteger s = rs[1].CompareTo(HalfN) > 0 ? Curve.N.Subtract(rs[1]) : rs[1];
        byte[] signature = [.. BigIntegers.AsUnsignedByteArray(32, rs[0]), .. BigIntegers.AsUnsignedByteArray(32, s), 27];

        Address expected = Secp256k1.AddressFromPublicKey(PublicKey(privateKey));
        for (byte v = 27; v <= 28; v++)
        {
            signature[64] = v;
            if (BouncyCastleRecovery.RecoverAddress(digest, signature, out Address signer) == SignatureStatus.Valid && signer == expected)
            {
                return signature;
            }
        }

        throw new InvalidOperationException("Neither recovery id recovers the signer.");
    }

    /// <summary>eciespy-format ECIES with the ephemeral key drawn as the engine draws it: 32 bytes, again until in [1, n − 1].</summary>
    public static byte[] Encrypt(byte[] receiverPublicKey, byte[] plaintext, RandomNumberGenerator random)
    {
        ECPoint receiver = Curve.Curve.DecodePoint(receiverPublicKey);
        var buffer = new byte[32];
        BigInteger ephemeralSecret;
        do
        {
            random.GetBytes(buffer);
            ephemeralSecret = new BigInteger(1, buffer);
        }
        while (ephemeralSecret.SignValue == 0 || ephemeralSecret.CompareTo(Curve.N) >= 0);

        byte[] ephemeralPublic = Curve.G.Multiply(ephemeralSecret).Normalize().GetEncoded(false);
        byte[] shared = receiver.Multiply(ephemeralSecret).Normalize().GetEncoded(false);
        var hkdf = new HkdfBytesGenerator(new Sha256Digest());
        hkdf.Init(new HkdfParameters([.. ephemeralPublic, .. shared], null, null));
        var key = new byte[32];
        hkdf.GenerateBytes(key, 0, key.Length);

        var nonce = new byte[Ecies.NonceLength];
        random.GetBytes(nonce);
        var gcm = new GcmBlockCipher(new AesEngine());
        gcm.Init(true, new AeadParameters(new KeyParameter(key), Ecies.TagLength * 8, nonce));
        var sealedData = new byte[gcm.GetOutputSize(plaintext.Length)];
        int written = gcm.ProcessBytes(plaintext, 0, plaintext.Length, sealedData, 0);
        gcm.DoFinal(sealedData, written);

        // BouncyCastle appends the tag; the format wants it before the data.
        return [.. ephemeralPublic, .. nonce, .. sealedData[plaintext.Length..], .. sealedData[..plaintext.Length]];
    }
}
