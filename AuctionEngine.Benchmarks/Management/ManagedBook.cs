using AuctionEngine.Management;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Benchmarks.Management;

/// <summary>
/// The books the management benchmarks run on. Stops: half stop-loss sells below the oracle (10 per tick from
/// 99,990 down), half stop-loss buys above it (10 per tick from 100,010 up), so an oracle of 100,000 ± 9 triggers
/// none and one of 98,991 triggers exactly 10,000 sells. Trailing stops: sells and buys with 5 % distances, which an
/// oracle moving within ±1 % never triggers, so every block updates every extreme.
/// </summary>
internal static class ManagedBook
{
    public const long Oracle = 100_000;

    /// <summary>An oracle at which exactly 10,000 of the sells trigger (triggers 99,990 down to 98,991, ten per tick).</summary>
    public const long TenThousandTrigger = 98_991;

    public static readonly Address MarketAddress = Address.Parse("0x00000000000000000000000000000000000000aa");

    public static readonly Eip712Domain Domain = new("AuctionEngine", "1", 31337, Address.Parse("0x00000000000000000000000000000000000000c0"));

    public static readonly Market Market = new(Address.Zero, Address.Zero, 1, 1, maxPrice: 1_000_000_000, maxOrderQuantity: 1_000_000_000);

    public static OrderManagerSettings Settings(int instructions) =>
        new(Market, MarketAddress, instructions + 20_000, maxReleasesPerBatch: 50_000, maxInstructionsPerTrader: instructions + 20_000, maxReleasesPerTraderPerBatch: 50_000);

    public static Address Trader(int index) => new([.. new byte[16], (byte)(index >> 24), (byte)(index >> 16), (byte)(index >> 8), (byte)index]);

    /// <summary>Stop <paramref name="index"/>: even indexes are sells below the oracle, odd ones buys above it.</summary>
    public static Instruction Stop(int index, int nonce)
    {
        long level = index / 2 / 10;
        bool sell = index % 2 == 0;
        InstructionLeg leg = InstructionLeg.Stop(sell ? Side.Sell : Side.Buy, StopKind.StopLoss, sell ? 99_990 - level : 100_010 + level, 1 + (index % 7));
        return Instruction.Stop(Trader(index % 50_000), MarketAddress, (UInt128)nonce, 0, leg);
    }

    public static Instruction TrailingStop(int index) =>
        Instruction.TrailingStop(
            Trader(index % 50_000), MarketAddress, (UInt128)index, 0,
            InstructionLeg.TrailingStop(index % 2 == 0 ? Side.Sell : Side.Buy, StopKind.StopLoss, 500 + (index % 100), 1 + (index % 7)));

    /// <summary>Adds instructions in chunks (one block each), as a keeper fills up over many blocks.</summary>
    public static long Fill(OrderManager manager, Func<int, Instruction> instruction, int count, long firstBlock)
    {
        const int Chunk = 100_000;
        long block = firstBlock;
        var buffer = new Instruction[Chunk];
        for (int start = 0; start < count; start += Chunk, block++)
        {
            int n = Math.Min(Chunk, count - start);
            for (int i = 0; i < n; i++)
            {
                buffer[i] = instruction(start + i);
            }

            manager.ClearEvents();
            manager.SubmitVerified(block, [], buffer.AsSpan(0, n));
            manager.Evaluate(block, new OracleObservation(Oracle, block), default);
        }

        manager.ClearEvents();
        return block;
    }
}
