using System.Security.Cryptography;
using AuctionEngine.Crypto;
using AuctionEngine.Crypto.Internal;
using AuctionEngine.Primitives;
using BenchmarkDotNet.Attributes;
using AuctionEngine.Tests.Support;
using BenchmarkDotNet.Configs;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Utilities;

namespace AuctionEngine.Benchmarks.Sealing;

/// <summary>
/// What the operations on a secret key cost: signing an order, deriving a public key, sealing an order with ECIES.
/// The engine's constant-time code against the BouncyCastle path it replaced (the baseline), and, for key
/// derivation, the engine's variable-time multiplication as the price of the same work without the protection.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class SecretKeyBenchmarks
{
    private static readonly Org.BouncyCastle.Asn1.X9.X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);
    private static readonly BigInteger HalfN = Curve.N.ShiftRight(1);

    private readonly byte[] _digest = new byte[Hash32.Length];
    private readonly byte[] _signature = new byte[Secp256k1.SignatureSize];
    private readonly byte[] _publicKey = new byte[Secp256k1.PublicKeySize];
    private readonly byte[] _plaintext = new byte[321];
    private readonly RandomNumberGenerator _random = RandomNumberGenerator.Create();
    private byte[] _privateKey = [];
    private byte[] _receiverPublicKey = [];

    [GlobalSetup]
    public void Setup()
    {
        SealedOrderFactory.Signed(7, batchId: 1).Order.ComputeDigest(SealedOrderFactory.Domain).WriteTo(_digest);
        _privateKey = SealedOrderFactory.PrivateKey(7);
        _receiverPublicKey = BouncyCastleSecrets.PublicKey(SealedOrderFactory.PrivateKey(1_000));

        if (!SignEngine().SequenceEqual(SignBouncyCastle()) || !PublicKeyEngine().SequenceEqual(PublicKeyBouncyCastle()) ||
            !PublicKeyEngine().SequenceEqual(PublicKeyVariableTime()) || !EncryptionAgrees())
        {
            throw new InvalidOperationException("The constant-time code and BouncyCastle disagree.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _random.Dispose();

    [Benchmark(Baseline = true, Description = "BouncyCastle ECDSA, trial recovery")]
    [BenchmarkCategory("sign")]
    public byte[] SignBouncyCastle()
    {
        // The former Secp256k1.Sign: BouncyCastle's signer with its RFC 6979 calculator, then the recovery id that
        // recovers the signer's own key.
        var d = new BigInteger(1, _privateKey);
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(d, Domain));
        BigInteger[] rs = signer.GenerateSignature(_digest);
        BigInteger s = rs[1].CompareTo(HalfN) > 0 ? Curve.N.Subtract(rs[1]) : rs[1];
        Address expected = Secp256k1.AddressFromPublicKey(Curve.G.Multiply(d).Normalize().GetEncoded(false));
        BigIntegers.AsUnsignedByteArray(rs[0], _signature.AsSpan(0, 32));
        BigIntegers.AsUnsignedByteArray(s, _signature.AsSpan(32, 32));
        for (byte v = 27; v <= 28; v++)
        {
            _signature[64] = v;
            if (Secp256k1.RecoverAddress(_digest, _signature, out Address recovered) == SignatureStatus.Valid && recovered == expected)
            {
                return _signature;
            }
        }

        throw new InvalidOperationException("No recovery id.");
    }

    [Benchmark(Description = "engine, constant time")]
    [BenchmarkCategory("sign")]
    public byte[] SignEngine()
    {
        Secp256k1.Sign(_digest, _privateKey, _signature);
        return _signature;
    }

    [Benchmark(Baseline = true, Description = "BouncyCastle d·G")]
    [BenchmarkCategory("public key")]
    public byte[] PublicKeyBouncyCastle() => BouncyCastleSecrets.PublicKey(_privateKey);

    [Benchmark(Description = "engine, constant time")]
    [BenchmarkCategory("public key")]
    public byte[] PublicKeyEngine()
    {
        Secp256k1.GetPublicKey(_privateKey, _publicKey);
        return _publicKey;
    }

    [Benchmark(Description = "engine, variable time (wNAF + GLV)")]
    [BenchmarkCategory("public key")]
    public byte[] PublicKeyVariableTime()
    {
        CurveMultiplication.Multiply(AffinePoint.Generator, new BigInteger(1, _privateKey)).TryToAffine(out AffinePoint point);
        point.WriteUncompressed(_publicKey);
        return _publicKey;
    }

    [Benchmark(Baseline = true, Description = "BouncyCastle r·G, r·P")]
    [BenchmarkCategory("seal order (ECIES)")]
    public byte[] EncryptBouncyCastle() => BouncyCastleSecrets.Encrypt(_receiverPublicKey, _plaintext, _random);

    [Benchmark(Description = "engine, constant time")]
    [BenchmarkCategory("seal order (ECIES)")]
    public byte[] EncryptEngine() => Ecies.Encrypt(_receiverPublicKey, _plaintext, _random);

    /// <summary>Both encryptions, fed the same bytes, write the same ciphertext.</summary>
    private bool EncryptionAgrees()
    {
        byte[] seed = SHA256.HashData("ecies"u8);
        using var engineRandom = new ReplayedRandom(seed);
        using var referenceRandom = new ReplayedRandom(seed);
        return Ecies.Encrypt(_receiverPublicKey, _plaintext, engineRandom).SequenceEqual(BouncyCastleSecrets.Encrypt(_receiverPublicKey, _plaintext, referenceRandom));
    }

    /// <summary>Bytes from a counter-mode SHA-256 stream, the same for the same seed.</summary>
    private sealed class ReplayedRandom(byte[] seed) : RandomNumberGenerator
    {
        private ulong _counter;

        public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

        public override void GetBytes(Span<byte> data)
        {
            for (int offset = 0; offset < data.Length; offset += 32)
            {
                byte[] block = SHA256.HashData([.. seed, .. BitConverter.GetBytes(_counter++)]);
                block.AsSpan(0, Math.Min(32, data.Length - offset)).CopyTo(data[offset..]);
            }
        }
    }
}
