using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Signing;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Management;
using AuctionEngine.Venue;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Venue;

/// <summary>
/// The perpetual venue's invariants over random multi-block scenarios: leveraged traders, a random-walk oracle that
/// brings liquidations, reduce-only host orders, stops and brackets, funding every few blocks.
/// </summary>
[TestFixture]
public sealed class PerpetualVenueProperties
{
    private const int Traders = 4;
    private static readonly int[] Everyone = [1, 2, 3, 4, 5];
    private static readonly Arbitrary<int> Seeds = Arb.From(Gen.Choose(0, int.MaxValue));

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property ConservationReduceOnlyAndProtectionHoldEveryBlock() => Prop.ForAll(Seeds, seed =>
    {
        Scenario scenario = Scenario.Generate(seed);
        PerpetualVenueHarness harness = scenario.NewVenue();
        foreach (ScenarioBlock block in scenario.Blocks)
        {
            long[] before = [.. Everyone.Select(harness.Position)];
            List<PerpetualVenueEvent> events = harness.Block(block.Block, block.Oracle, [.. block.Orders], [.. block.Instructions]);
            if (!harness.Conserves(Everyone))
            {
                return false.Label($"seed {seed}: conservation broken at block {block.Block}");
            }

            // A trader whose every order that traded this block was reduce-only (host orders flagged so; the manager's
            // releases of reduce-only limits and TWAPs, stops and bracket exits) never ends further from flat.
            var traded = events.Venue(VenueEventKind.Fill).Where(f => f.Source == BatchVenue.HostSource).Select(f => f.OrderId).ToHashSet();
            Instruction[] managedFills = [.. events.Managed(ManagementEventKind.Fill).Select(f => scenario.Instructions.Single(i => ManagerHarness.IdOf(i) == f.Instruction))];
            bool liquidated = events.Venue(VenueEventKind.Fill).Any(f => f.Source == harness.Venue.LiquidationSource)
                || events.Any(e => e.Kind == PerpetualVenueEventKind.Deleveraged);
            foreach (int trader in Everyone)
            {
                PerpetualOrder[] mine = [.. block.Orders.Where(o => o.Order.Trader == PerpetualVenueHarness.Account(trader) && traded.Contains(o.Order.Id))];
                Instruction[] mineManaged = [.. managedFills.Where(i => TraderOf(i) == trader)];
                bool onlyReduceOnly = mine.All(o => o.ReduceOnly)
                    && mineManaged.All(i => i.ReduceOnly || i.Kind is InstructionKind.Stop or InstructionKind.TrailingStop);
                bool bracketTraded = mineManaged.Any(i => i.Kind == InstructionKind.Bracket);
                if (mine.Length + mineManaged.Length > 0 && onlyReduceOnly && !bracketTraded && !liquidated
                    && Math.Abs(harness.Position(trader)) > Math.Abs(before[trader - 1]))
                {
                    return false.Label($"seed {seed}: reduce-only orders grew trader {trader}'s position at block {block.Block}");
                }
            }

            // A protective release never exceeds the position it protects (the manager's view is the engine's).
            foreach (ManagementEvent released in events.Managed(ManagementEventKind.Released))
            {
                Instruction source = scenario.Instructions.Single(i => ManagerHarness.IdOf(i) == released.Instruction);
                bool protective = source.Kind is InstructionKind.Stop or InstructionKind.TrailingStop
                    || (source.Kind == InstructionKind.Bracket && released.Role != LegRole.Entry);
                if (protective && released.Quantity > Math.Abs(harness.Position(TraderOf(source))))
                {
                    return false.Label($"seed {seed}: a protective release of {released.Quantity} exceeds the position at block {block.Block}");
                }
            }
        }

        return true.Label("ok");
    });

    [FsCheck.NUnit.Property(MaxTest = 40)]
    public Property TheSameScenarioGivesTheSameEventsWhateverTheSubmissionOrder() => Prop.ForAll(Seeds, seed =>
    {
        Scenario scenario = Scenario.Generate(seed);
        List<PerpetualVenueEvent> inOrder = scenario.Run(shuffleSeed: null);
        List<PerpetualVenueEvent> shuffled = scenario.Run(shuffleSeed: seed ^ 0x5f3759df);
        return inOrder.SequenceEqual(shuffled).Label($"seed {seed}: {inOrder.Count} events in order, {shuffled.Count} shuffled");
    });

    [Test]
    public void TheRandomScenariosReachEveryRuleTheyCheck()
    {
        // Properties over scenarios that never liquidate, cut or protect anything would pass for nothing.
        List<PerpetualVenueEvent> events = [.. Enumerable.Range(0, 40).SelectMany(seed => Scenario.Generate(seed).Run(shuffleSeed: null))];
        HashSet<Hash32> reduceOnlyEntries = [.. Enumerable.Range(0, 40).SelectMany(seed => Scenario.Generate(seed).Instructions)
            .Where(i => i.ReduceOnly && i.Kind is InstructionKind.Limit or InstructionKind.Twap).Select(ManagerHarness.IdOf)];
        Assert.Multiple(() =>
        {
            Assert.That(events.OfKind(PerpetualVenueEventKind.Liquidation), Is.Not.Empty, "liquidations");
            Assert.That(events.Venue(VenueEventKind.Fill).Where(f => f.OrderId >= PerpetualEngine.LiquidationIdFlag && f.Source != BatchVenue.HostSource), Is.Not.Empty, "liquidation fills");
            Assert.That(events.OfKind(PerpetualVenueEventKind.Reduced), Is.Not.Empty, "reduce-only orders cut down");
            Assert.That(events.Where(e => e.Admission == AdmissionStatus.InsufficientMargin), Is.Not.Empty, "margin rejections");
            Assert.That(events.OfKind(PerpetualVenueEventKind.Funding), Is.Not.Empty, "funding");
            Assert.That(events.Managed(ManagementEventKind.Released), Is.Not.Empty, "protective releases");
            Assert.That(events.Where(e => reduceOnlyEntries.Contains(e.Instruction) && e.Admission is AdmissionStatus.Reduced or AdmissionStatus.NothingToReduce),
                Is.Not.Empty, "reduce-only limits and TWAPs cut down or refused");
            Assert.That(events.Managed(ManagementEventKind.Fill).Where(e => reduceOnlyEntries.Contains(e.Instruction)), Is.Not.Empty, "reduce-only limits and TWAPs fill");
            Assert.That(events.Managed(ManagementEventKind.Cancelled).Where(e => e.Cause == CancelCause.PositionClosed), Is.Not.Empty, "closed positions cancel protection");
        });
    }

    private static int TraderOf(Instruction instruction)
    {
        for (int trader = 1; trader <= Traders + 1; trader++)
        {
            if (PerpetualVenueHarness.Account(trader) == instruction.Trader)
            {
                return trader;
            }
        }

        throw new ArgumentException("Not a scenario trader.", nameof(instruction));
    }

    private sealed record ScenarioBlock(long Block, long? Oracle, List<PerpetualOrder> Orders, List<Instruction> Instructions);

    private sealed class Scenario
    {
        public required List<ScenarioBlock> Blocks { get; init; }

        public required long[] Collateral { get; init; }

        public List<Instruction> Instructions => [.. Blocks.SelectMany(b => b.Instructions)];

        public static Scenario Generate(int seed)
        {
            var random = new Random(seed);
            long oracle = 1_000;
            var blocks = new List<ScenarioBlock>();
            int nonce = 0;
            for (long block = 1; block <= 25; block++)
            {
                oracle = Math.Clamp(oracle + random.Next(-120, 121), 400, 1_600);
                long? observed = block == 1 || random.Next(4) > 0 ? oracle : null;
                var orders = new List<PerpetualOrder>();
                var instructions = new List<Instruction>();
                for (int n = random.Next(0, 6); n > 0; n--)
                {
                    int trader = random.Next(1, Traders + 1);
                    long price = oracle + random.Next(-40, 41);
                    long quantity = random.Next(1, 40);
                    bool reduceOnly = random.Next(3) == 0;
                    orders.Add(random.Next(2) == 0
                        ? PerpetualVenueHarness.Buy(trader, price, quantity, reduceOnly)
                        : PerpetualVenueHarness.Sell(trader, price, quantity, reduceOnly));
                }

                // The market maker (trader 5) quotes both sides around the oracle, so batches clear and liquidations find bids.
                orders.Add(PerpetualVenueHarness.Buy(5, oracle - random.Next(0, 20), random.Next(20, 80)));
                orders.Add(PerpetualVenueHarness.Sell(5, oracle + random.Next(0, 20), random.Next(20, 80)));

                if (random.Next(3) == 0)
                {
                    int trader = random.Next(1, Traders + 1);
                    Side side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
                    // Standing limits and TWAPs are mostly signed reduce-only, sometimes not, so the check above sees both.
                    instructions.Add(random.Next(4) switch
                    {
                        0 => ManagerHarness.Stop(trader, side, random.Next(2) == 0 ? StopKind.StopLoss : StopKind.TakeProfit, oracle + random.Next(-80, 81), random.Next(1, 30), nonce: nonce++),
                        1 => ManagerHarness.Bracket(trader, InstructionLeg.Limit(side, oracle + random.Next(-20, 21), random.Next(1, 30)), side == Side.Buy ? oracle + 60 : oracle - 60, side == Side.Buy ? oracle - 60 : oracle + 60, nonce: nonce++),
                        2 => ManagerHarness.Limit(trader, side, oracle + random.Next(-30, 31), random.Next(1, 40), display: random.Next(0, 10), nonce: nonce++) with { ReduceOnly = random.Next(4) > 0 },
                        _ => ManagerHarness.Twap(trader, side, random.Next(4, 60), random.Next(2, 5), random.Next(1, 3), tolerance: random.Next(0, 300), nonce: nonce++) with { ReduceOnly = random.Next(4) > 0 },
                    });
                }

                blocks.Add(new ScenarioBlock(block, observed, orders, instructions));
            }

            return new Scenario { Blocks = blocks, Collateral = [.. Enumerable.Range(0, Traders).Select(_ => (long)random.Next(1_000, 30_000))] };
        }

        public PerpetualVenueHarness NewVenue()
        {
            var harness = new PerpetualVenueHarness(fundingIntervalBlocks: 4, minPositionNotionalLiquidated: 5_000, maxPositionPortionLiquidatedPpm: 500_000);
            for (int trader = 1; trader <= Traders; trader++)
            {
                harness.Deposit(trader, Collateral[trader - 1]);
            }

            harness.Deposit(5, 1_000_000_000);
            harness.Engine.DepositInsuranceFund(50_000);
            return harness;
        }

        public List<PerpetualVenueEvent> Run(int? shuffleSeed)
        {
            PerpetualVenueHarness harness = NewVenue();
            Random? random = shuffleSeed is { } s ? new Random(s) : null;
            foreach (ScenarioBlock block in Blocks)
            {
                PerpetualOrder[] orders = [.. block.Orders];
                Instruction[] instructions = [.. block.Instructions];
                random?.Shuffle(orders);
                random?.Shuffle(instructions);
                harness.Block(block.Block, block.Oracle, orders, instructions);
            }

            return harness.Events;
        }
    }
}
