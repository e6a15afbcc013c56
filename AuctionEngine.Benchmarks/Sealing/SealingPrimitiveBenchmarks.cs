using System.Security.Cryptography;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Signing;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Sealing;

/// <summary>What opening one sealed order costs, step by step, on one core.</summary>
[MemoryDiagnoser]
public class SealingPrimitiveBenchmarks
{
    private readonly Keccak256 _keccak = new();
    private readonly byte[] _digest = new byte[Hash32.Length];
    private SealedOrder _order;
    private byte[] _signature = [];
    private Hash32 _salt;
    private Hash32 _commitment;
    private byte[] _secretKey = [];
    private byte[] _ciphertext = [];

    [GlobalSetup]
    public void Setup()
    {
        (_order, _signature) = SealedOrderFactory.Signed(1, batchId: 1);
        _order.ComputeDigest(SealedOrderFactory.Domain, _keccak, _digest);
        _salt = new Hash32(SHA256.HashData("salt"u8));
        _commitment = Commitments.ForReveal(new Hash32(_digest), _salt);
        _secretKey = SealedOrderFactory.PrivateKey(1_000);
        var publicKey = new byte[Secp256k1.PublicKeySize];
        Secp256k1.GetPublicKey(_secretKey, publicKey);
        using var random = RandomNumberGenerator.Create();
        _ciphertext = Ecies.Encrypt(publicKey, SealedOrderCodec.Encode(_order, _signature), random);
    }

    /// <summary>A reveal's commitment check: the order's EIP-712 digest, then keccak256(digest ‖ salt).</summary>
    [Benchmark(Description = "verify commitment")]
    public bool VerifyCommitment()
    {
        _order.ComputeDigest(SealedOrderFactory.Domain, _keccak, _digest);
        return Commitments.ForReveal(new Hash32(_digest), _salt) == _commitment;
    }

    [Benchmark(Description = "recover signer")]
    public SignatureStatus RecoverSigner() => Secp256k1.RecoverAddress(_digest, _signature, out _);

    [Benchmark(Description = "decrypt order")]
    public bool DecryptOrder() => Ecies.TryDecrypt(_secretKey, _ciphertext, out _);
}
