using System.Security.Cryptography;
using AuctionEngine.Clearing;
using AuctionEngine.Crypto;
using AuctionEngine.Markets;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Threshold;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Sealing;

/// <summary>
/// A whole encrypted batch of 10,000 orders: submit every ciphertext, close, open the threshold key from the
/// keypers' signed shares, decrypt and authenticate every order, clear.
/// </summary>
[MemoryDiagnoser]
public class SealedBatchBenchmarks : IDisposable
{
    private const int OrderCount = 10_000;
    private const ulong BatchId = 42;
    private const long Block = 1_000;

    private readonly Market _market = new(Address.Zero, Address.Zero, lotSize: 1, tickSize: 1);
    private SealedBatchSettings _settings = null!;
    private SharedBatchKey _key = null!;
    private KeyperSet _keypers = null!;
    private SignedKeyperShare[] _shares = [];
    private (Address Trader, Hash32 Commitment, byte[] Ciphertext)[] _submissions = [];
    private static readonly Reservation Ample = new(Reservation.MaxAtoms, Reservation.MaxAtoms);
    private ClearingEngine _engine = null!;

    /// <summary>Threads decrypting at once.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var random = RandomNumberGenerator.Create();
        _key = new TrustedDealer(random).Generate(threshold: 3, keyperCount: 5);
        (_keypers, _shares) = SealedOrderFactory.SignedShares(_key, BatchId);
        byte[] publicKey = _key.Commitments.GetPublicKey();
        _submissions = new (Address, Hash32, byte[])[OrderCount];
        for (int i = 0; i < OrderCount; i++)
        {
            var (order, signature) = SealedOrderFactory.Signed(i, BatchId);
            byte[] ciphertext = Ecies.Encrypt(publicKey, SealedOrderCodec.Encode(order, signature), random);
            _submissions[i] = (order.Trader, Commitments.ForEncrypted(order.ComputeDigest(SealedOrderFactory.Domain), ciphertext), ciphertext);
        }

        _settings = new SealedBatchSettings(_market, SealedOrderFactory.MarketAddress, OrderCount, OrderCount, 1_024, revealWindowBlocks: 2);
        _engine = new ClearingEngine(OrderCount);
        SealedBatchResult result = OpenAndClear();
        if (result.Orders.Count != OrderCount || !result.Clearing.Cleared)
        {
            throw new InvalidOperationException($"Only {result.Orders.Count} of {OrderCount} orders opened, or the batch did not clear.");
        }
    }

    [Benchmark(Description = "10k encrypted orders: open and clear")]
    public SealedBatchResult OpenAndClear()
    {
        var batch = new SealedBatch(_settings, SealedOrderFactory.Domain, BatchId, Block);
        foreach ((Address trader, Hash32 commitment, byte[] ciphertext) in _submissions)
        {
            batch.SubmitEncrypted(trader, commitment, ciphertext, Ample, Block);
        }

        batch.Close(Block + 1);
        batch.BeginReveal(Block + 1, default);
        batch.OpenEncrypted(_key.Commitments, _keypers, _shares, Threads);
        return batch.Clear(_engine, default, Block + 1);
    }

    /// <summary>Releases the clearing engine.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _engine.Dispose();
        GC.SuppressFinalize(this);
    }
}
