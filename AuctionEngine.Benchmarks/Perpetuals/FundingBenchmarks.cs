using AuctionEngine.Perpetuals;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Perpetuals;

/// <summary>
/// One funding payment over a million positions. <c>settle every position</c> (the baseline) pays it the direct way:
/// each position's payment, rounded up for payers and down for receivers, into its account's collateral.
/// <c>engine</c> is <see cref="PerpetualEngine.EndBlock"/> with the market's interval ending, which moves the two
/// per-side funding indexes and credits the rounding to the insurance fund; positions settle when they next trade.
/// </summary>
[MemoryDiagnoser]
public class FundingBenchmarks
{
    private const int Positions = 1_000_000;
    private PerpetualEngine _engine = null!;
    private long[] _lots = null!;
    private Int128[] _collateral = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = PerpetualBook.Build(Positions, markets: 1, thin: 0);
        _lots = new long[Positions];
        _collateral = new Int128[Positions];
        for (int i = 0; i < Positions; i++)
        {
            _lots[i] = i % 2 == 0 ? PerpetualBook.Lots : -PerpetualBook.Lots;
            _collateral[i] = 50_000;
        }
    }

    [Benchmark(Baseline = true, Description = "settle every position")]
    public Int128 SettleEveryPosition()
    {
        // 0.3% of one lot's worth: 30 quote atoms and a remainder, so both roundings are exercised.
        Int128 perLotScaled = (Int128)PerpetualBook.EntryPrice * 3_001;
        Int128 remainder = 0;
        for (int i = 0; i < _lots.Length; i++)
        {
            long lots = _lots[i];
            Int128 exact = lots * perLotScaled;
            Int128 payment = lots > 0 ? (exact + 999_999) / 1_000_000 : exact / 1_000_000;
            _collateral[i] -= payment;
            remainder += payment;
        }

        return remainder;
    }

    [Benchmark(Description = "engine")]
    public int Engine()
    {
        _engine.EndBlock();
        return _engine.FundingPayments.Length;
    }
}
