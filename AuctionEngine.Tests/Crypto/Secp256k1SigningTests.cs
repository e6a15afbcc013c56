using System.Security.Cryptography;
using System.Text;
using AuctionEngine.Crypto;
using AuctionEngine.Crypto.Internal;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Secp256k1Values;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace AuctionEngine.Tests.Crypto;

/// <summary>
/// Signing and key derivation on the constant-time path: byte for byte what BouncyCastle's signer and multiplier
/// gave, the published secp256k1 RFC 6979 vectors, and public keys and addresses of well-known keys.
/// </summary>
[TestFixture]
public sealed class Secp256k1SigningTests
{
    /// <summary>Private keys in [1, n − 1] of every shape: edges, powers of two, runs of ones, random.</summary>
    private static readonly Arbitrary<byte[]> PrivateKeys = Arb.From(ShapedNonZeroScalars.Select(Bytes));

    /// <summary>Digests: random, and the edges 0, 1, n − 1, n, n + 1 and 2^256 − 1 (a digest is reduced modulo n).</summary>
    private static readonly Arbitrary<byte[]> Digests = Arb.From(Gen.Frequency(
        (4, Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), Secp256k1.DigestSize)),
        (1, Gen.Elements(BigInteger.Zero, BigInteger.One, N.Subtract(BigInteger.One), N, N.Add(BigInteger.One), BigInteger.One.ShiftLeft(256).Subtract(BigInteger.One))
            .Select(Bytes))));

    /// <summary>
    /// python-bitcoinlib's secp256k1 / SHA-256 vectors (bitcoin/tests/test_wallet.py, Test_RFC6979, first published on
    /// bitcointalk topic 285142): private key, message, RFC 6979 nonce, r and low s.
    /// </summary>
    private static readonly (string Key, string Message, string Nonce, string R, string S)[] Rfc6979Vectors =
    [
        ("0000000000000000000000000000000000000000000000000000000000000001", "Satoshi Nakamoto",
            "8F8A276C19F4149656B280621E358CCE24F5F52542772691EE69063B74F15D15",
            "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8", "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"),
        ("0000000000000000000000000000000000000000000000000000000000000001", "All those moments will be lost in time, like tears in rain. Time to die...",
            "38AA22D72376B4DBC472E06C3BA403EE0A394DA63FC58D88686C611ABA98D6B3",
            "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b", "547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21"),
        ("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140", "Satoshi Nakamoto",
            "33A19B60E25FB6F4435AF53A3D42D493644827367E6453928554F43E49AA6F90",
            "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d0", "6b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5"),
        ("F8B8AF8CE3C7CCA5E300D33939540C10D45CE001B8F252BFBC57BA0342904181", "Alan Turing",
            "525A82B70E67874398067543FD84C83D30C175FDC45FDEEE082FE13B1D7CFDF1",
            "7063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c", "58dfcc1e00a35e1572f366ffe34ba0fc47db1e7189759b9fb233c5b05ab388ea"),
        ("E91671C46231F833A6406CCBEA0E3E392C76C167BAC1CB013F6F1013980455C2",
            "There is a computer disease that anybody who works with computers knows about. It's a very serious disease and it interferes completely with the work. The trouble with computers is that you 'play' with them!",
            "1F4B84C23A86A221D233F2521BE018D9318639D5B8BBD6374A8A59232D16AD3D",
            "b552edd27580141f3b2a5463048cb7cd3e047b97c9f98076c32dbdf85a68718b", "279fa72dd19bfae05577e06c7c0c1900c371fcd5893f7e1d56a37d30174671f6"),
    ];

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property SignaturesAreBouncyCastlesByteForByte() => Prop.ForAll(PrivateKeys, Digests, (key, digest) =>
    {
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digest, key, signature);
        byte[] expected = BouncyCastleSecrets.Sign(digest, key);
        return signature.SequenceEqual(expected).Label($"{Convert.ToHexString(signature)} vs {Convert.ToHexString(expected)}");
    });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property PublicKeysAreBouncyCastles() => Prop.ForAll(PrivateKeys, key =>
    {
        var publicKey = new byte[Secp256k1.PublicKeySize];
        Secp256k1.GetPublicKey(key, publicKey);
        byte[] expected = BouncyCastleSecrets.PublicKey(key);
        return publicKey.SequenceEqual(expected) && Secp256k1.AddressFromPrivateKey(key) == Secp256k1.AddressFromPublicKey(expected);
    });

    [TestCaseSource(nameof(Vectors))]
    public void SignsThePublishedRfc6979Vectors(string key, string message, string nonce, string r, string s)
    {
        byte[] digest = SHA256.HashData(Encoding.ASCII.GetBytes(message));
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digest, Convert.FromHexString(key), signature);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(HexText.Lower(signature.AsSpan(0, 32)), Is.EqualTo(r));
            Assert.That(HexText.Lower(signature.AsSpan(32, 32)), Is.EqualTo(s));
            Assert.That(Secp256k1.RecoverAddress(digest, signature, out Address signer), Is.EqualTo(SignatureStatus.Valid));
            Assert.That(signer, Is.EqualTo(Secp256k1.AddressFromPrivateKey(Convert.FromHexString(key))));
            Assert.That(FirstNonce(key, digest), Is.EqualTo(nonce));
        }
    }

    [Test]
    public void DrawsTheTrezorRfc6979Nonce() =>
        // trezor-crypto's test_rfc6979: key cca9fb…, SHA-256("sample").
        Assert.That(
            FirstNonce("cca9fbcc1b41e5a95d369eaa6ddcff73b61a4efaa279cfc6567e8daa39cbaf50", SHA256.HashData("sample"u8)),
            Is.EqualTo("2DF40CA70E639D89528A6B670D9D48D9165FDC0FEBC0974056BDCE192B8E16A3"));

    [Test]
    public void RefusedNoncesMoveTheGeneratorOnAsStepH3Says()
    {
        // After a refused nonce, K = HMAC_K(V ‖ 0x00) and V = HMAC_K(V) before the next V = HMAC_K(V).
        byte[] key = Convert.FromHexString(Rfc6979Vectors[0].Key);
        byte[] digest = SHA256.HashData(Encoding.ASCII.GetBytes(Rfc6979Vectors[0].Message));
        Span<byte> state = stackalloc byte[Rfc6979Nonces.StateSize];
        var nonces = new Rfc6979Nonces(key, Scalar.Reduce(digest), state);
        var first = new byte[32];
        nonces.Next().Write(first);
        var second = new byte[32];
        nonces.Next().Write(second);

        byte[] k = state[..32].ToArray();
        byte[] v = state[32..].ToArray();
        Assert.That(Convert.ToHexString(first), Is.EqualTo(Rfc6979Vectors[0].Nonce));

        // Replay the step by hand from the state the first draw left.
        byte[] expectedKey = HMACSHA256.HashData(KeyBefore(key, digest), (byte[])[.. first, 0x00]);
        byte[] expectedValue = HMACSHA256.HashData(expectedKey, HMACSHA256.HashData(expectedKey, first));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(k, Is.EqualTo(expectedKey));
            Assert.That(v, Is.EqualTo(expectedValue));
            Assert.That(second, Is.EqualTo(expectedValue));
        }
    }

    [TestCase("0000000000000000000000000000000000000000000000000000000000000001",
        "79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8")]
    [TestCase("0000000000000000000000000000000000000000000000000000000000000002",
        "C6047F9441ED7D6D3045406E95C07CD85C778E4B8CEF3CA7ABAC09B95C709EE5", "1AE168FEA63DC339A3C58419466CEAEEF7F632653266D0E1236431A950CFE52A")]
    [TestCase("0000000000000000000000000000000000000000000000000000000000000003",
        "F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9", "388F7B0F632DE8140FE337E62A37F3566500A99934C2231B6CB9FD7584B8E672")]
    [TestCase("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140",
        "79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", "B7C52588D95C3B9AA25B0403F1EEF75702E84BB7597AABE663B82F6F04EF2777")]
    public void PublicKeyOfAKnownKey(string privateKey, string x, string y)
    {
        var publicKey = new byte[Secp256k1.PublicKeySize];
        Secp256k1.GetPublicKey(Convert.FromHexString(privateKey), publicKey);

        Assert.That(Convert.ToHexString(publicKey), Is.EqualTo("04" + x + y));
    }

    [TestCase("0000000000000000000000000000000000000000000000000000000000000002", "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF")]
    [TestCase("0000000000000000000000000000000000000000000000000000000000000003", "0x6813Eb9362372EEF6200f3b1dbC3f819671cBA69")]
    [TestCase("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")]
    [TestCase("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")]
    [TestCase("5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")]
    [TestCase("7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6", "0x90F79bf6EB2c4f870365E785982E1f101E93b906")]
    public void AddressOfAWellKnownKey(string privateKey, string address) =>
        // Keys 2 and 3, and the first four accounts of Hardhat's and Anvil's test mnemonic.
        Assert.That(Secp256k1.AddressFromPrivateKey(Convert.FromHexString(privateKey)), Is.EqualTo(Address.Parse(address)));

    [Test]
    public void OnlyKeysFromOneToNMinusOneAreValid()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Secp256k1.IsValidPrivateKey(Bytes(BigInteger.One)), Is.True);
            Assert.That(Secp256k1.IsValidPrivateKey(Bytes(N.Subtract(BigInteger.One))), Is.True);
            Assert.That(Secp256k1.IsValidPrivateKey(Bytes(BigInteger.Zero)), Is.False);
            Assert.That(Secp256k1.IsValidPrivateKey(Bytes(N)), Is.False);
            Assert.That(Secp256k1.IsValidPrivateKey(Bytes(N.Add(BigInteger.One))), Is.False);
            Assert.That(Secp256k1.IsValidPrivateKey(Bytes(BigInteger.One.ShiftLeft(256).Subtract(BigInteger.One))), Is.False);
            Assert.That(Secp256k1.IsValidPrivateKey([.. Bytes(BigInteger.One), 0]), Is.False);
            Assert.That(() => Secp256k1.GetPublicKey(Bytes(N), new byte[65]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Secp256k1.Sign(new byte[32], new byte[31], new byte[65]), Throws.TypeOf<ArgumentException>());
        }
    }

    private static IEnumerable<TestCaseData> Vectors() =>
        Rfc6979Vectors.Select(v => new TestCaseData(v.Key, v.Message, v.Nonce, v.R, v.S).SetArgDisplayNames(v.Message[..Math.Min(20, v.Message.Length)]));

    private static string FirstNonce(string key, byte[] digest)
    {
        Span<byte> state = stackalloc byte[Rfc6979Nonces.StateSize];
        var nonces = new Rfc6979Nonces(Convert.FromHexString(key), Scalar.Reduce(digest), state);
        var nonce = new byte[32];
        nonces.Next().Write(nonce);
        return Convert.ToHexString(nonce);
    }

    /// <summary>K after steps a to g, computed from the RFC's text with nothing of the engine's.</summary>
    private static byte[] KeyBefore(byte[] privateKey, byte[] digest)
    {
        byte[] h1 = Bytes(new BigInteger(1, digest).Mod(N));
        var k = new byte[32];
        byte[] v = Enumerable.Repeat((byte)1, 32).ToArray();
        k = HMACSHA256.HashData(k, (byte[])[.. v, 0x00, .. privateKey, .. h1]);
        v = HMACSHA256.HashData(k, v);
        k = HMACSHA256.HashData(k, (byte[])[.. v, 0x01, .. privateKey, .. h1]);
        return k;
    }
}
