using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Clearing;

/// <summary>
/// Issue 10's target: 2,000,000 orders with limits uniform over 1..2,000,000,000 must clear within 1.5 times the time
/// of the same book over 9,000..11,000 (see <see cref="BatchGenerator.GenerateUniform"/>), on one thread, beside the
/// sort-and-scan baseline, whose cost depends on the spread much as a sorting peer's does not.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[MaxColumn]
public class WideBookBenchmarks : IDisposable
{
    private readonly Market _market = new(Address.Zero, Address.Zero, lotSize: 1, tickSize: 1);
    private Order[] _orders = [];
    private Fill[] _fills = [];
    private ClearingEngine _engine = null!;
    private ClearingEngine _twoThreadEngine = null!;

    /// <summary>Orders in the batch.</summary>
    [Params(2_000_000)]
    public int Orders { get; set; }

    /// <summary>How limit prices are spread.</summary>
    [Params(PriceDistribution.UniformNarrow, PriceDistribution.UniformWide)]
    public PriceDistribution Prices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _orders = BatchGenerator.GenerateUniform(Orders, Prices, seed: 20261201);
        _fills = new Fill[Orders];
        _engine = new ClearingEngine(Orders);
        _twoThreadEngine = new ClearingEngine(Orders, degreeOfParallelism: 2);
        (long? price, Fill[] expected) = SortAndScanClearing.Clear(_market, _orders);
        foreach (ClearingEngine engine in new[] { _engine, _twoThreadEngine })
        {
            ClearingResult result = engine.Clear(_market, _orders, _fills);
            if (result.Price != price || !expected.AsSpan().SequenceEqual(_fills))
            {
                throw new InvalidOperationException($"The engine (price {result.Price}) and the baseline (price {price}) disagree on {Orders} {Prices} orders.");
            }
        }
    }

    /// <summary>Ends the two-thread engine's worker.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _engine.Dispose();
        _twoThreadEngine.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "sort-and-scan")]
    public long? SortAndScan() => SortAndScanClearing.Clear(_market, _orders).Price;

    [Benchmark(Description = "engine")]
    public long? Engine() => _engine.Clear(_market, _orders, _fills).Price;

    [Benchmark(Description = "engine, 2 threads")]
    public long? EngineTwoThreads() => _twoThreadEngine.Clear(_market, _orders, _fills).Price;
}
