using AuctionEngine.Management;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Management;

/// <summary>
/// One block's evaluation over 1,000,000 tracking trailing stops (half sells, half buys) as the oracle moves within
/// ±1 %: every extreme is updated and compared, none triggers. Indexed (struct-of-arrays with precomputed thresholds)
/// against a scan of records that multiplies out the exact comparison for each.
/// </summary>
[MemoryDiagnoser]
public class TrailingStopBenchmarks
{
    private const int Count = 1_000_000;

    private OrderManager _manager = null!;
    private NaiveManager _naive = null!;
    private long _block;

    [GlobalSetup(Target = nameof(Indexed))]
    public void SetupIndexed()
    {
        _manager = new OrderManager(ManagedBook.Settings(Count), ManagedBook.Domain);
        _block = ManagedBook.Fill(_manager, ManagedBook.TrailingStop, Count, 1);
    }

    [GlobalSetup(Target = nameof(Naive))]
    public void SetupNaive()
    {
        _naive = new NaiveManager(Count);
        for (int i = 0; i < Count; i++)
        {
            _naive.Add(ManagedBook.TrailingStop(i));
        }
    }

    private static long OracleAt(long block) => ManagedBook.Oracle + ((block * 7_919 % 2_001) - 1_000);

    [Benchmark(Baseline = true, Description = "naive scan")]
    public int Naive() => _naive.Evaluate(OracleAt(_block++), default);

    [Benchmark(Description = "indexed")]
    public int Indexed()
    {
        long block = _block++;
        _manager.ClearEvents();
        _manager.Evaluate(block, new OracleObservation(OracleAt(block), block), default);
        return _manager.Events.Length;
    }
}
