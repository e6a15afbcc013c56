using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using static AuctionEngine.Tests.Management.ManagerHarness;

namespace AuctionEngine.Tests.Management;

/// <summary>One block of a scenario: the host's observation (if any) and what arrived.</summary>
internal sealed record ScenarioBlock(long Block, long? Oracle, long PublishedBlock, Instruction[] Instructions, InstructionCancellation[] Cancellations);

/// <summary>
/// Random scenarios of every instruction type from a few traders around a random-walk oracle that is sometimes
/// missing or old, with cancellations and fills decided by a hash of (block, order id), so a run never depends on the
/// order in which anything was handed over.
/// </summary>
internal sealed record Scenario(int Seed, ScenarioBlock[] Blocks)
{
    public const int Traders = 4;

    public Dictionary<Hash32, Instruction> ById { get; } = Blocks.SelectMany(b => b.Instructions).DistinctBy(IdOf).ToDictionary(IdOf);

    public static Scenario Generate(int seed, int maxBlocks = 30)
    {
        var random = new Random(seed);
        int blockCount = random.Next(5, maxBlocks + 1);
        long oracle = 1_000;
        var submitted = new List<Instruction>();
        var blocks = new ScenarioBlock[blockCount];
        int nonce = 0;
        for (int b = 0; b < blockCount; b++)
        {
            long block = b + 1;
            oracle = Math.Max(100, oracle + random.Next(-60, 61));
            long? observed = random.Next(100) < 15 ? null : oracle;
            long published = observed is null ? 0 : block - (random.Next(100) < 15 ? random.Next(0, 6) : 0);
            Instruction[] instructions = [.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomInstruction(random, oracle, block, ++nonce))];
            InstructionCancellation[] cancellations = [];
            if (submitted.Count > 0 && random.Next(100) < 25)
            {
                Instruction target = submitted[random.Next(submitted.Count)];
                int signer = random.Next(100) < 80 ? TraderNumber(target) : random.Next(1, Traders + 1);
                cancellations = [new InstructionCancellation(Trader(signer), MarketAddress, IdOf(target))];
            }

            submitted.AddRange(instructions);
            blocks[b] = new ScenarioBlock(block, observed, published, instructions, cancellations);
        }

        return new Scenario(seed, blocks);
    }

    public static int TraderNumber(Instruction instruction)
    {
        for (int t = 1; t <= Traders; t++)
        {
            if (Trader(t) == instruction.Trader)
            {
                return t;
            }
        }

        return 0;
    }

    /// <summary>How much of an order a batch fills: none two times in five, else a hash-chosen part of it.</summary>
    public static long Fill(long block, ManagedOrder order)
    {
        ulong h = (order.Order.Id ^ (ulong)block) * 0x9E3779B97F4A7C15UL;
        h ^= h >> 29;
        return h % 5 < 2 ? 0 : (long)(h >> 8) % (order.Order.Quantity + 1);
    }

    /// <summary>Runs blocks [from, to) on a harness; returns their events.</summary>
    public List<ManagementEvent> Run(ManagerHarness harness, int from = 0, int to = int.MaxValue, Func<ScenarioBlock, ScenarioBlock>? arrange = null)
    {
        harness.FillRule = Fill;
        var events = new List<ManagementEvent>();
        for (int b = from; b < Math.Min(to, Blocks.Length); b++)
        {
            ScenarioBlock block = arrange is null ? Blocks[b] : arrange(Blocks[b]);
            events.AddRange(harness.Block(block.Block, block.Oracle, block.Instructions, block.Cancellations, block.PublishedBlock));
        }

        return events;
    }

    /// <summary>
    /// Every third instruction is signed reduce-only (chosen by nonce, so the random draws, and with them every other
    /// scenario rule these seeds reach, stay as they were): the manager must carry the flag and its snapshot keep it.
    /// </summary>
    private static Instruction RandomInstruction(Random random, long oracle, long block, int nonce) =>
        RandomInstructionOfAnyKind(random, oracle, block, nonce) with { ReduceOnly = nonce % 3 == 0 };

    private static Instruction RandomInstructionOfAnyKind(Random random, long oracle, long block, int nonce)
    {
        int trader = random.Next(1, Traders + 1);
        long expiry = random.Next(100) < 25 ? block + random.Next(0, 15) : 0;
        Address traderAddress = Trader(trader);
        switch (random.Next(6))
        {
            case 0:
                return Instruction.Stop(traderAddress, MarketAddress, (UInt128)nonce, expiry, RandomStop(random, oracle));
            case 1:
                return Instruction.TrailingStop(traderAddress, MarketAddress, (UInt128)nonce, expiry, RandomTrailing(random, oracle));
            case 2:
                return Instruction.Limit(traderAddress, MarketAddress, (UInt128)nonce, expiry, RandomLimit(random, oracle));
            case 3:
            {
                Side side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
                long limit = random.Next(3) == 0 ? oracle + random.Next(-80, 81) : 0;
                return Instruction.Twap(traderAddress, MarketAddress, (UInt128)nonce, expiry, side, random.Next(5, 60), random.Next(2, 7), random.Next(1, 4), random.Next(3) == 0 ? block + random.Next(0, 4) : 0, random.Next(0, 300), limit);
            }

            case 4:
            {
                InstructionLeg first = random.Next(3) switch { 0 => RandomStop(random, oracle), 1 => RandomTrailing(random, oracle), _ => RandomLimit(random, oracle) };
                InstructionLeg second = first.Type == LegType.Limit || random.Next(2) == 0 ? RandomStop(random, oracle) : RandomTrailing(random, oracle);
                return Instruction.Oco(traderAddress, MarketAddress, (UInt128)nonce, expiry, first, second);
            }

            default:
            {
                InstructionLeg entry = random.Next(2) == 0 ? RandomLimit(random, oracle) with { DisplayQuantity = 0 } : RandomStop(random, oracle);
                Side exit = entry.Side == Side.Buy ? Side.Sell : Side.Buy;
                long tp = entry.Side == Side.Buy ? oracle + random.Next(0, 120) : oracle - random.Next(0, 120);
                long sl = entry.Side == Side.Buy ? oracle - random.Next(0, 120) : oracle + random.Next(0, 120);
                return Instruction.Bracket(
                    traderAddress, MarketAddress, (UInt128)nonce, expiry, entry,
                    InstructionLeg.Stop(exit, StopKind.TakeProfit, Math.Max(1, tp), entry.Quantity, random.Next(2) == 0 ? 0 : Math.Max(1, tp), random.Next(0, 2_000)),
                    InstructionLeg.Stop(exit, StopKind.StopLoss, Math.Max(1, sl), entry.Quantity));
            }
        }
    }

    private static InstructionLeg RandomStop(Random random, long oracle) =>
        InstructionLeg.Stop(
            random.Next(2) == 0 ? Side.Buy : Side.Sell, random.Next(2) == 0 ? StopKind.StopLoss : StopKind.TakeProfit, Math.Max(1, oracle + random.Next(-100, 101)),
            random.Next(1, 20), random.Next(3) == 0 ? Math.Max(1, oracle + random.Next(-100, 101)) : 0, random.Next(0, 2_000));

    private static InstructionLeg RandomTrailing(Random random, long oracle) =>
        InstructionLeg.TrailingStop(
            random.Next(2) == 0 ? Side.Buy : Side.Sell, random.Next(2) == 0 ? StopKind.StopLoss : StopKind.TakeProfit, random.Next(1, 800), random.Next(1, 20),
            random.Next(2) == 0 ? 0 : Math.Max(1, oracle + random.Next(-100, 101)), 0, random.Next(0, 2_000));

    private static InstructionLeg RandomLimit(Random random, long oracle)
    {
        long quantity = random.Next(1, 30);
        return InstructionLeg.Limit(random.Next(2) == 0 ? Side.Buy : Side.Sell, Math.Max(1, oracle + random.Next(-50, 51)), quantity, random.Next(2) == 0 ? 0 : random.Next(1, (int)quantity + 1));
    }
}



