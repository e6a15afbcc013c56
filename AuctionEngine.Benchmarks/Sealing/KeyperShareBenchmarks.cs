using System.Security.Cryptography;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Threshold;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Sealing;

/// <summary>
/// What judging one released keyper share costs on one core: authenticating it (its EIP-712 digest, then signer
/// recovery) beside the Feldman check that was all a share got before, and a whole 3-of-5 key opened from five
/// signed shares.
/// </summary>
[MemoryDiagnoser]
public class KeyperShareBenchmarks
{
    private const ulong BatchId = 42;

    private readonly byte[] _digest = new byte[Hash32.Length];
    private KeyperShareContext _context = null!;
    private KeyperSet _keypers = null!;
    private SignedKeyperShare[] _shares = [];
    private KeyperShare _share = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var random = RandomNumberGenerator.Create();
        SharedBatchKey key = new TrustedDealer(random).Generate(threshold: 3, keyperCount: 5);
        _context = new KeyperShareContext(SealedOrderFactory.Domain, SealedOrderFactory.MarketAddress, BatchId, key.Commitments);
        (_keypers, _shares) = SealedOrderFactory.SignedShares(key, BatchId);
        _share = key.Shares[0];
        if (!AuthenticateShare() || FeldmanCheck() != ShareVerdict.Valid || OpenKey().BadKeypers.Count != 0)
        {
            throw new InvalidOperationException("A dealt share failed its own checks.");
        }
    }

    [Benchmark(Description = "share digest (EIP-712)")]
    public Hash32 ShareDigest() => _context.ComputeDigest(_shares[0].Index, _shares[0].Value.Span);

    [Benchmark(Description = "authenticate signed share")]
    public bool AuthenticateShare()
    {
        SignedKeyperShare share = _shares[0];
        _context.ComputeDigest(share.Index, share.Value.Span).WriteTo(_digest);
        return Secp256k1.RecoverAddress(_digest, share.Signature.Span, out Address signer) == SignatureStatus.Valid && signer == _keypers[share.Index];
    }

    [Benchmark(Description = "Feldman check (t = 3)")]
    public ShareVerdict FeldmanCheck() => _context.Commitments.Check(_share);

    [Benchmark(Description = "open 3-of-5 key, 5 signed shares")]
    public BatchKeyOpening OpenKey() => BatchKeyOpener.Open(_context, _keypers, _shares);
}
