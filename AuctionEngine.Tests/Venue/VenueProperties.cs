using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Management;
using AuctionEngine.Venue;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Venue;

/// <summary>
/// The venue's invariants over random scenarios (the manager's random instructions, host orders around a random-walk
/// oracle, a source, and a tight circuit breaker so that interruptions and extension chains are common).
/// </summary>
[TestFixture]
public sealed class VenueProperties
{
    private static readonly Arbitrary<int> Seeds = Arb.From(Gen.Choose(0, int.MaxValue));

    private static readonly Arbitrary<(int Seed, int Cut)> SeedsAndCuts = Arb.From(
        from seed in Gen.Choose(0, int.MaxValue)
        from cut in Gen.Choose(1, 30)
        select (seed, cut));

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property NothingIsLostAcrossInterruptions() => Prop.ForAll(Seeds, seed =>
    {
        VenueScenario scenario = VenueScenario.Generate(seed);
        (VenueHarness harness, RecordingSource source) = scenario.NewVenue();
        var hostOrders = new Dictionary<ulong, long>();
        foreach (VenueScenarioBlock block in scenario.Blocks)
        {
            foreach (Order order in block.Orders)
            {
                hostOrders[order.Id] = block.Block;
            }

            List<VenueEvent> events = VenueScenario.Run(harness, block);

            // No order of the manager is left behind in a batch that has been cleared or passed.
            long oldestWaiting = harness.Venue.InterruptedUntil is null ? block.Block + 1 : events.Concat(harness.Events).Where(e => e.Kind == VenueEventKind.Interrupted).Last().FirstBatch;
            if (harness.Venue.Manager.PendingOrders.ToArray().Any(o => o.Batch < oldestWaiting))
            {
                return false.Label($"seed {seed}: a manager order is left in batch below {oldestWaiting} at block {block.Block}");
            }
        }

        // Blocks with no input and no oracle end the last interruption (an extended batch with no static band clears).
        for (long block = scenario.Blocks[^1].Block + 1; harness.Venue.InterruptedUntil is not null; block++)
        {
            harness.Block(block, null);
        }

        // Every source order ends exactly once, in a block whose clearing held its batch, with its listed quantity.
        var ends = harness.Events.Where(e => e.Kind is VenueEventKind.Cleared or VenueEventKind.NotCleared).ToDictionary(e => e.Block);
        bool sourceWhole = source.Listed.Count == source.Done.Count
            && source.Listed.Select(l => (l.Batch, l.Order.Id)).OrderBy(x => x).SequenceEqual(source.Done.Select(d => (d.Batch, d.Order.Id)).OrderBy(x => x))
            && source.Done.All(d => ends.TryGetValue(d.Block, out VenueEvent end) && end.FirstBatch <= d.Batch && d.Batch <= d.Block);

        // Every host order that traded did so in a clearing that held its batch, and no batch is interrupted at the end
        // except the one still waiting.
        bool hostWhole = harness.Events.OfKind(VenueEventKind.Fill).Where(e => e.Source == BatchVenue.HostSource)
            .All(e => hostOrders[e.OrderId] == e.Batch && ends.TryGetValue(e.Block, out VenueEvent end) && end.FirstBatch <= e.Batch);
        return (sourceWhole && hostWhole)
            .Label($"seed {seed}: {source.Listed.Count} listed, {source.Done.Count} done, {harness.Events.Count(e => e.Kind == VenueEventKind.Interrupted)} interruptions");
    });

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property TheSameScenarioGivesTheSameEventsWhateverTheOrderOfSubmissions() => Prop.ForAll(Seeds, seed =>
    {
        VenueScenario scenario = VenueScenario.Generate(seed);
        List<VenueEvent> first = scenario.RunAll(arrange: null);
        var random = new Random(seed ^ 0x5EED);
        List<VenueEvent> shuffled = scenario.RunAll(block => block with
        {
            Orders = [.. block.Orders.OrderBy(_ => random.Next())],
            Instructions = [.. block.Instructions.OrderBy(_ => random.Next())],
            Cancellations = [.. block.Cancellations.OrderBy(_ => random.Next())],
        });
        return first.SequenceEqual(shuffled).Label($"seed {seed}");
    });

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property RestoringTheManagerAndTheVenueAtAnyBlockGivesTheSameLaterEvents() => Prop.ForAll(SeedsAndCuts, t =>
    {
        VenueScenario scenario = VenueScenario.Generate(t.Seed);
        int cut = Math.Min(t.Cut, scenario.Blocks.Length);
        (VenueHarness whole, RecordingSource wholeSource) = scenario.NewVenue();
        foreach (VenueScenarioBlock block in scenario.Blocks)
        {
            VenueScenario.Run(whole, block);
        }

        (VenueHarness restarted, RecordingSource restartedSource) = scenario.NewVenue();
        foreach (VenueScenarioBlock block in scenario.Blocks[..cut])
        {
            VenueScenario.Run(restarted, block);
        }

        int before = restarted.Events.Count;
        restarted.RestoreFrom(restarted.Snapshot(), [restartedSource]);
        foreach (VenueScenarioBlock block in scenario.Blocks[cut..])
        {
            VenueScenario.Run(restarted, block);
        }

        return whole.Events.Skip(before).SequenceEqual(restarted.Events.Skip(before))
            .Label($"seed {t.Seed}, cut {cut}, interrupted at the cut: {whole.Events.Any(e => e.Kind == VenueEventKind.Interrupted)}");
    });

    [Test]
    public void TheRandomScenariosDoInterruptAndExtend()
    {
        // Guards the properties above against a generator that never trips the breaker.
        int interrupted = 0;
        int extended = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            VenueScenario scenario = VenueScenario.Generate(seed);
            List<VenueEvent> events = scenario.RunAll(null);
            interrupted += events.Count(e => e.Kind == VenueEventKind.Interrupted);
            extended += events.Count(e => e.Kind == VenueEventKind.Interrupted && e.FirstBatch < e.Batch);
        }

        Assert.That(interrupted, Is.GreaterThan(20));
        Assert.That(extended, Is.GreaterThan(2));
    }

    [Test]
    public void ASnapshotOfAVenueIsRefusedWhenCutShortOrNamingAMissingSource()
    {
        VenueScenario scenario = VenueScenario.Generate(7);
        (VenueHarness harness, RecordingSource source) = scenario.NewVenue();
        foreach (VenueScenarioBlock block in scenario.Blocks)
        {
            VenueScenario.Run(harness, block);
            if (harness.Venue.WaitingOrders > 0)
            {
                break;
            }
        }

        (byte[] manager, byte[] venue) = harness.Snapshot();
        Assert.Throws<InvalidDataException>(() => harness.RestoreFrom((manager, venue[..^1]), [source]));
        Assert.Throws<InvalidDataException>(() => harness.RestoreFrom((manager, [.. venue, 0]), [source]));
        if (harness.Venue.WaitingOrders > 0 && source.Listed.Count > 0)
        {
            Assert.Throws<InvalidDataException>(() => harness.RestoreFrom((manager, venue), []));
        }
    }
}

internal sealed record VenueScenarioBlock(long Block, long? Oracle, long PublishedBlock, AuctionEngine.Signing.Instruction[] Instructions, AuctionEngine.Signing.InstructionCancellation[] Cancellations, Order[] Orders);

/// <summary>A manager scenario (see <see cref="Scenario"/>) with host and source orders around the oracle and a tight breaker.</summary>
internal sealed record VenueScenario(int Seed, VenueScenarioBlock[] Blocks, CircuitBreakerSettings Breaker)
{
    public static VenueScenario Generate(int seed)
    {
        Scenario managed = Scenario.Generate(seed);
        var random = new Random(seed);
        var breaker = new CircuitBreakerSettings(random.Next(0, 4) * 100, random.Next(1, 4) * 100, random.Next(1, 4));
        ulong id = 1;
        long oracle = 1_000;
        var blocks = new VenueScenarioBlock[managed.Blocks.Length];
        for (int b = 0; b < blocks.Length; b++)
        {
            ScenarioBlock block = managed.Blocks[b];
            oracle = block.Oracle ?? oracle;
            Order[] orders = [.. Enumerable.Range(0, random.Next(0, 5)).Select(_ =>
                new Order(id++, ManagerHarness.Trader(random.Next(1, 5)), random.Next(2) == 0 ? Side.Buy : Side.Sell, OrderType.Limit,
                    Math.Max(1, oracle + random.Next(-80, 81)), random.Next(1, 6), 0))];
            blocks[b] = new VenueScenarioBlock(block.Block, block.Oracle, block.PublishedBlock, block.Instructions, block.Cancellations, orders);
        }

        return new VenueScenario(seed, blocks, breaker);
    }

    /// <summary>A fresh venue with a source that lists one order per block, from the block's number.</summary>
    public (VenueHarness Harness, RecordingSource Source) NewVenue()
    {
        var harness = new VenueHarness(Breaker);
        var source = new RecordingSource(batch => batch % 3 == 0
            ? [new Order(1_000_000 + (ulong)batch, ManagerHarness.Trader(9), batch % 2 == 0 ? Side.Buy : Side.Sell, OrderType.Limit, 1_000, 2, 0)]
            : []);
        harness.Venue.AddSource(source);
        return (harness, source);
    }

    public static List<VenueEvent> Run(VenueHarness harness, VenueScenarioBlock block) =>
        harness.Block(block.Block, block.Oracle, block.Orders, block.Instructions, block.Cancellations, block.PublishedBlock);

    public List<VenueEvent> RunAll(Func<VenueScenarioBlock, VenueScenarioBlock>? arrange)
    {
        (VenueHarness harness, _) = NewVenue();
        foreach (VenueScenarioBlock block in Blocks)
        {
            Run(harness, arrange is null ? block : arrange(block));
        }

        return harness.Events;
    }
}
