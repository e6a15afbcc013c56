using AuctionEngine.Perpetuals;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Perpetuals;

/// <summary>
/// One block's liquidation check over a million accounts with a position in each of three markets (cross margin: no
/// single liquidation price, so every account's margin is recomputed), after the oracles fall 1%; none liquidatable.
/// The baseline is the same exact recomputation driven from outside the engine's scan.
/// </summary>
[MemoryDiagnoser]
public class CrossMarginBenchmarks
{
    private const int Accounts = 1_000_000;
    private readonly long[] _oracle = [.. Enumerable.Repeat(PerpetualBook.EntryPrice * 99 / 100, 3)];
    private PerpetualEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = PerpetualBook.Build(Accounts, markets: 3, thin: 0);
        if (Engine() != 0 || RecomputeEverything() != 0)
        {
            throw new InvalidOperationException("Expected no liquidatable account.");
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
