using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Clearing;

/// <summary>
/// One batch cleared end to end (intake, duplicate ids, price ladder, price rule, allocation), by the engine and by
/// the sort-and-scan baseline, for realistic and adversarially wide price distributions.
/// </summary>
[MemoryDiagnoser]
public class ClearingBenchmarks : IDisposable
{
    private readonly Market _market = new(Address.Zero, Address.Zero, lotSize: 1, tickSize: 1);
    private Order[] _orders = [];
    private Fill[] _fills = [];
    private ClearingEngine _engine = null!;
    private ClearingEngine _twoThreadEngine = null!;

    /// <summary>Orders in the batch.</summary>
    [Params(1_000, 10_000, 100_000, 1_000_000, 2_000_000)]
    public int Orders { get; set; }

    /// <summary>How limit prices are spread.</summary>
    [Params(PriceDistribution.Narrow, PriceDistribution.Wide)]
    public PriceDistribution Prices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _orders = BatchGenerator.Generate(Orders, Prices, seed: 20261124);
        _fills = new Fill[Orders];
        _engine = new ClearingEngine(Orders);
        _twoThreadEngine = new ClearingEngine(Orders, degreeOfParallelism: 2);
        EnsureEngineMatchesBaseline(_engine);
        EnsureEngineMatchesBaseline(_twoThreadEngine);
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

    /// <summary>The same engine splitting each pass over the orders between two threads (batches of 32,768 orders and more).</summary>
    [Benchmark(Description = "engine, 2 threads")]
    public long? EngineTwoThreads() => _twoThreadEngine.Clear(_market, _orders, _fills).Price;

    /// <summary>A fast wrong answer is worth nothing: refuse to time two implementations that disagree.</summary>
    private void EnsureEngineMatchesBaseline(ClearingEngine engine)
    {
        ClearingResult result = engine.Clear(_market, _orders, _fills);
        (long? price, Fill[] expected) = SortAndScanClearing.Clear(_market, _orders);
        if (result.Price != price || !expected.AsSpan().SequenceEqual(_fills))
        {
            throw new InvalidOperationException($"The engine (price {result.Price}) and the baseline (price {price}) disagree on {Orders} {Prices} orders.");
        }
    }
}
