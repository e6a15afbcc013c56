using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Signing;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Management;

/// <summary>
/// One block's evaluation with 10,000 quote instructions (a bid and an ask each) and 10,000 delta hedges live, over
/// 2,000 traders whose exposures the venue has stated: every quote prices its pair and every hedge whose delta is off
/// by more than its band releases, 30,000 releases in all.
/// </summary>
/// <remarks>
/// Every iteration starts from the same book: the batch the previous iteration released for clears with no fills
/// (<see cref="OrderManager.ApplyFills"/>) before the evaluation is timed, so nothing is outstanding.
/// </remarks>
[MemoryDiagnoser]
public class HedgeQuoteBenchmarks
{
    private const int Each = 10_000;
    private const int Traders = 2_000;
    private const long FairValue = 100_000;

    private OrderManager _manager = null!;
    private long _block;
    private readonly Fill[] _noFills = new Fill[3 * Each];

    [GlobalSetup]
    public void Setup()
    {
        var settings = new OrderManagerSettings(ManagedBook.Market, ManagedBook.MarketAddress, 2 * Each, maxReleasesPerBatch: 50_000, maxInstructionsPerTrader: 2 * Each,
            maxReleasesPerTraderPerBatch: 50_000);
        _manager = new OrderManager(settings, ManagedBook.Domain);
        var instructions = new Instruction[2 * Each];
        for (int i = 0; i < Each; i++)
        {
            instructions[2 * i] = Instruction.Quote(
                ManagedBook.Trader(i % Traders), ManagedBook.MarketAddress, (UInt128)i, 0, 1 + (i % 5), 20 + (i % 50), 5, 10, 1_000 + i, 5, 100 + (i % 7), 0);
            instructions[(2 * i) + 1] = Instruction.DeltaHedge(ManagedBook.Trader(i % Traders), ManagedBook.MarketAddress, (UInt128)i, 0, i % 11, i % 3, 50, 100);
        }

        _manager.SubmitVerified(1, [], instructions);
        for (int trader = 0; trader < Traders; trader++)
        {
            _manager.UpdateExposure(1, ManagedBook.Trader(trader), 20 + (trader % 40), 3_000 + trader);
        }

        _manager.Evaluate(1, new OracleObservation(FairValue, 1), default);
        _block = 2;
        for (int i = 0; i < 30; i++)
        {
            ClearPrevious();
            Evaluate();
        }
    }

    [IterationSetup]
    public void ClearPrevious()
    {
        int released = _manager.ReleasedOrders(_block).Length;
        _manager.ApplyFills(_block, _block, _noFills.AsSpan(0, released), null);
        _manager.ClearEvents();
    }

    [Benchmark(Description = "10,000 quotes + 10,000 hedges, one evaluation")]
    public int Evaluate()
    {
        long block = _block++;
        _manager.Evaluate(block, new OracleObservation(FairValue + (block % 3), block), default);
        return _manager.ReleasedOrders(block + 1).Length;
    }
}
