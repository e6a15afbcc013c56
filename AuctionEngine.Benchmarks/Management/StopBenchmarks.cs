using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Signing;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Management;

/// <summary>
/// One block's evaluation over 1,000,000 standing stops (half sells, half buys): a block in which none triggers, and
/// one in which 10,000 trigger and release, by the indexed <see cref="OrderManager"/> and by a scan-everything baseline.
/// </summary>
/// <remarks>
/// The triggering block is timed alone: each iteration's setup clears the previous iteration's released orders
/// (a batch that filled nothing), cancels the 10,000 triggered stops and adds 10,000 identical ones, so every
/// iteration starts from the same book.
/// </remarks>
[MemoryDiagnoser]
public class StopBenchmarks
{
    private const int Stops = 1_000_000;
    private const int Triggering = 10_000;
    private const int WarmBlocks = 60;

    private OrderManager _manager = null!;
    private NaiveManager _naive = null!;
    private long _block;
    private int _nonce = Stops;
    private readonly Fill[] _noFills = new Fill[Triggering];
    private readonly InstructionCancellation[] _cancellations = new InstructionCancellation[Triggering];
    private readonly Instruction[] _replacements = new Instruction[Triggering];

    [GlobalSetup(Target = nameof(IndexedNoneTrigger))]
    public void SetupIndexed()
    {
        _manager = new OrderManager(ManagedBook.Settings(Stops), ManagedBook.Domain);
        _block = ManagedBook.Fill(_manager, i => ManagedBook.Stop(i, i), Stops, 1);
    }

    /// <summary>
    /// The triggering block runs once per iteration, too few calls for the JIT to promote its code to tier 1 within
    /// a short job: run it (and its reset) as often as a steady keeper would have, then let the background compiler finish.
    /// </summary>
    [GlobalSetup(Target = nameof(IndexedTenThousandTrigger))]
    public void SetupIndexedWarm()
    {
        SetupIndexed();
        for (int i = 0; i < WarmBlocks; i++)
        {
            IndexedTenThousandTrigger();
            ResetIndexed();
        }

        Thread.Sleep(1_000);
    }

    [GlobalSetup(Target = nameof(NaiveNoneTrigger))]
    public void SetupNaive()
    {
        _naive = new NaiveManager(Stops);
        for (int i = 0; i < Stops; i++)
        {
            _naive.Add(ManagedBook.Stop(i, i));
        }
    }

    [GlobalSetup(Target = nameof(NaiveTenThousandTrigger))]
    public void SetupNaiveWarm()
    {
        SetupNaive();
        for (int i = 0; i < WarmBlocks; i++)
        {
            NaiveTenThousandTrigger();
            ResetNaive();
        }

        Thread.Sleep(1_000);
    }

    [IterationSetup(Target = nameof(IndexedTenThousandTrigger))]
    public void ResetIndexed()
    {
        // Batch _block cleared with no fills, then the triggered stops are replaced by identical untriggered ones.
        ReadOnlySpan<ManagedOrder> released = _manager.ReleasedOrders(_block);
        if (released.Length != 0)
        {
            for (int i = 0; i < released.Length; i++)
            {
                _cancellations[i] = new InstructionCancellation(released[i].Order.Trader, ManagedBook.MarketAddress, released[i].Instruction);
            }

            int count = released.Length;
            _manager.ApplyFills(_block, _block, _noFills.AsSpan(0, count), null);
            for (int i = 0; i < count; i++)
            {
                // The sells that trigger at 98,991 are the even indexes 0 .. 19,998.
                _replacements[i] = ManagedBook.Stop(2 * i, ++_nonce);
            }

            _manager.SubmitVerified(_block, _cancellations.AsSpan(0, count), _replacements.AsSpan(0, count));
            _manager.Evaluate(_block, new OracleObservation(ManagedBook.Oracle, _block), default);
            _block++;
        }

        _manager.ClearEvents();
    }

    [IterationSetup(Target = nameof(NaiveTenThousandTrigger))]
    public void ResetNaive() => _naive.Reset();

    [Benchmark(Baseline = true, Description = "naive scan, none trigger")]
    public int NaiveNoneTrigger() => _naive.Evaluate(ManagedBook.Oracle + (_block++ % 2), default);

    [Benchmark(Description = "indexed, none trigger")]
    public int IndexedNoneTrigger()
    {
        long block = _block++;
        _manager.ClearEvents();
        _manager.Evaluate(block, new OracleObservation(ManagedBook.Oracle + (block % 2), block), default);
        return _manager.Events.Length;
    }

    [Benchmark(Description = "naive scan, 10,000 trigger")]
    public int NaiveTenThousandTrigger() => _naive.Evaluate(ManagedBook.TenThousandTrigger, default);

    [Benchmark(Description = "indexed, 10,000 trigger")]
    public int IndexedTenThousandTrigger()
    {
        _manager.Evaluate(_block, new OracleObservation(ManagedBook.TenThousandTrigger, _block), default);
        _block++;
        return _manager.ReleasedOrders(_block).Length;
    }
}
