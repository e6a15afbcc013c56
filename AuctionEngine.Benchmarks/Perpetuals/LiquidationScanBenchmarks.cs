using AuctionEngine.Perpetuals;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Perpetuals;

/// <summary>
/// One block's liquidation check over a million accounts with one position each, after the oracle falls 1%: none
/// liquidatable, or 10,000. <c>recompute everything</c> (the baseline) checks every account's margin exactly;
/// <c>engine</c> is <see cref="PerpetualEngine.UpdateOracle"/> and <see cref="PerpetualEngine.ScanLiquidations"/>,
/// which visits only the prefix of its liquidation-price index below the new threshold and prices an order for each
/// liquidatable account.
/// </summary>
[MemoryDiagnoser]
public class LiquidationScanBenchmarks
{
    private const int Accounts = 1_000_000;
    private readonly long[] _oracle = [PerpetualBook.EntryPrice * 99 / 100];
    private PerpetualEngine _engine = null!;

    [Params(0, 10_000)]
    public int Liquidatable { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = PerpetualBook.Build(Accounts, markets: 1, thin: Liquidatable);
        int scanned = Engine();
        int recomputed = RecomputeEverything();
        if (scanned != Liquidatable || recomputed != Liquidatable)
        {
            throw new InvalidOperationException($"Expected {Liquidatable} liquidatable accounts; the engine found {scanned}, the recomputation {recomputed}.");
        }
    }

    [Benchmark(Baseline = true, Description = "recompute everything")]
    public int RecomputeEverything()
    {
        _engine.UpdateOracle(_oracle);
        int count = 0;
        for (int id = 0; id < _engine.AccountCount; id++)
        {
            count += _engine.IsLiquidatableNow(id) ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Description = "engine")]
    public int Engine()
    {
        _engine.UpdateOracle(_oracle);
        return _engine.ScanLiquidations().Length;
    }
}
