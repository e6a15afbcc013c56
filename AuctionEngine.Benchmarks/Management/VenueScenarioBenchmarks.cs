using System.Security.Cryptography;
using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Venue;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Management;

/// <summary>
/// A whole scenario end to end through a <see cref="BatchVenue"/>: 1,000 blocks, 100,000 instructions of every type
/// arriving 100 per block, 20 market-maker orders per block, an oracle on a random walk, and the clearing of every
/// batch; with the circuit breaker off (the baseline) and on (±2 % dynamic, ±5 % static, 2-block extensions).
/// </summary>
/// <remarks>
/// Signatures are taken as checked upstream (the venue's verified path): 100,000 ECDSA recoveries would take about
/// 5 s on their own and measure BouncyCastle, not the venue. Each invocation starts from an empty manager built in the
/// iteration's setup, so the figure includes the warm-up of every buffer.
/// </remarks>
[MemoryDiagnoser]
public class VenueScenarioBenchmarks : IDisposable
{
    private const int Blocks = 1_000;
    private const int InstructionsPerBlock = 100;
    private const int MakerOrdersPerBlock = 20;

    private readonly Instruction[][] _instructions = new Instruction[Blocks][];
    private readonly Order[][] _orders = new Order[Blocks][];
    private readonly long[] _oracle = new long[Blocks];
    private readonly Hash32[] _randomness = new Hash32[Blocks + 2];
    private ClearingEngine _engine = null!;
    private BatchVenue _venue = null!;

    /// <summary>How many batches cleared in the last run (a check that the scenario trades).</summary>
    public int Cleared { get; private set; }

    [GlobalSetup]
    public void Generate()
    {
        var random = new Random(20261201);
        long oracle = 100_000;
        ulong orderId = 1;
        int nonce = 0;
        for (int b = 0; b < Blocks; b++)
        {
            oracle = Math.Max(50_000, oracle + random.Next(-300, 301));
            _oracle[b] = oracle;
            var instructions = new Instruction[InstructionsPerBlock];
            for (int i = 0; i < instructions.Length; i++)
            {
                instructions[i] = RandomInstruction(random, oracle, b + 1, ++nonce);
            }

            _instructions[b] = instructions;
            var orders = new Order[MakerOrdersPerBlock];
            for (int i = 0; i < orders.Length; i++)
            {
                bool buy = i % 2 == 0;
                long price = oracle + (buy ? -random.Next(0, 400) : random.Next(0, 400));
                orders[i] = new Order(orderId++, ManagedBook.Trader(1_000_000 + i), buy ? Side.Buy : Side.Sell, OrderType.Limit, price, random.Next(1, 50), 0);
            }

            _orders[b] = orders;
        }

        for (int b = 0; b < _randomness.Length; b++)
        {
            _randomness[b] = new Hash32(SHA256.HashData(BitConverter.GetBytes((long)b)));
        }

        _engine = new ClearingEngine(200_000);
    }

    [IterationSetup(Target = nameof(BreakerOff))]
    public void NewVenueWithoutBreaker() => _venue = NewVenue(CircuitBreakerSettings.Off);

    [IterationSetup(Target = nameof(BreakerOn))]
    public void NewVenueWithBreaker() => _venue = NewVenue(new CircuitBreakerSettings(200, 500, 2));

    [Benchmark(Baseline = true, Description = "1,000 blocks, 100,000 instructions, breaker off")]
    public int BreakerOff() => Run();

    [Benchmark(Description = "1,000 blocks, 100,000 instructions, breaker on")]
    public int BreakerOn() => Run();

    /// <summary>Releases the clearing engine.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _engine.Dispose();
        GC.SuppressFinalize(this);
    }

    private BatchVenue NewVenue(CircuitBreakerSettings breaker) =>
        new(new OrderManager(
            new OrderManagerSettings(ManagedBook.Market, ManagedBook.MarketAddress, 300_000, maxReleasesPerBatch: 150_000, maxInstructionsPerTrader: 1_000, maxReleasesPerTraderPerBatch: 1_000),
            ManagedBook.Domain), _engine, breaker);

    private int Run()
    {
        int cleared = 0;
        for (int b = 0; b < Blocks; b++)
        {
            long block = b + 1;
            foreach (VenueEvent e in _venue.ProcessVerifiedBlock(
                block, new OracleObservation(_oracle[b], block), [], _instructions[b], _orders[b], _randomness[block], _randomness[block + 1]))
            {
                cleared += e.Kind == VenueEventKind.Cleared ? 1 : 0;
            }
        }

        Cleared = cleared;
        return cleared;
    }

    /// <summary>A third stops, a sixth trailing stops, a quarter limits (half icebergs), the rest TWAPs, OCOs and brackets, from 5,000 traders.</summary>
    private static Instruction RandomInstruction(Random random, long oracle, long block, int nonce)
    {
        Address trader = ManagedBook.Trader(random.Next(5_000));
        bool sell = random.Next(2) == 0;
        Side side = sell ? Side.Sell : Side.Buy;
        long away = oracle * random.Next(100, 1_000) / 10_000;
        long quantity = random.Next(1, 20);
        int kind = random.Next(100);
        InstructionLeg stop = InstructionLeg.Stop(side, StopKind.StopLoss, sell ? oracle - away : oracle + away, quantity);
        InstructionLeg limit = InstructionLeg.Limit(side, sell ? oracle + (away / 4) : oracle - (away / 4), quantity, kind % 2 == 0 ? Math.Max(1, quantity / 3) : 0);
        return kind switch
        {
            < 33 => Instruction.Stop(trader, ManagedBook.MarketAddress, (UInt128)nonce, block + 200, stop),
            < 50 => Instruction.TrailingStop(trader, ManagedBook.MarketAddress, (UInt128)nonce, block + 200,
                InstructionLeg.TrailingStop(side, StopKind.StopLoss, random.Next(100, 800), quantity)),
            < 75 => Instruction.Limit(trader, ManagedBook.MarketAddress, (UInt128)nonce, block + 20, limit),
            < 85 => Instruction.Twap(trader, ManagedBook.MarketAddress, (UInt128)nonce, 0, side, quantity * 4, 4, 5, 0, 100),
            < 93 => Instruction.Oco(trader, ManagedBook.MarketAddress, (UInt128)nonce, block + 100, limit, stop),
            _ => Instruction.Bracket(trader, ManagedBook.MarketAddress, (UInt128)nonce, block + 100,
                InstructionLeg.Limit(side, sell ? oracle - (away / 8) : oracle + (away / 8), quantity),
                InstructionLeg.Stop(sell ? Side.Buy : Side.Sell, StopKind.TakeProfit, sell ? oracle - away : oracle + away, quantity),
                InstructionLeg.Stop(sell ? Side.Buy : Side.Sell, StopKind.StopLoss, sell ? oracle + away : oracle - away, quantity)),
        };
    }
}
