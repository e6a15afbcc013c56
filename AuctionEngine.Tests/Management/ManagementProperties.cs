using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using FsCheck;
using FsCheck.Fluent;
using static AuctionEngine.Tests.Management.ManagerHarness;

namespace AuctionEngine.Tests.Management;

/// <summary>
/// The manager's invariants over random scenarios of every instruction type (see <see cref="Scenario"/>): when stops
/// and trailing stops trigger, what TWAPs, icebergs, OCOs and brackets may release and fill, that a snapshot taken at
/// any block restores to the same later events, and that arrival order within a block never matters.
/// </summary>
public sealed class ManagementProperties
{
    private static readonly Arbitrary<int> Seeds = Arb.From(Gen.Choose(0, int.MaxValue));

    private static readonly Arbitrary<(int Seed, int Cut)> SeedsAndCuts = Arb.From(
        from seed in Gen.Choose(0, int.MaxValue)
        from cut in Gen.Choose(0, 30)
        select (seed, cut));

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property AStopTriggersInExactlyTheFirstBlockWhoseUsableObservationCrossesIt() => Prop.ForAll(Seeds, seed =>
    {
        Scenario scenario = Scenario.Generate(seed);
        List<ManagementEvent> events = scenario.Run(new ManagerHarness());
        foreach (ScenarioBlock arrival in scenario.Blocks)
        {
            foreach (Instruction stop in arrival.Instructions.Where(i => i.Kind == InstructionKind.Stop))
            {
                Hash32 id = IdOf(stop);
                if (!events.Any(e => e.Instruction == id && e.Kind == ManagementEventKind.Accepted))
                {
                    continue;
                }

                long? expected = FirstCrossing(scenario, arrival.Block, stop.First);
                long? cancelled = events.FirstOrDefault(e => e.Instruction == id && e.Kind == ManagementEventKind.Cancelled).Block;
                if (expected is { } b && ((stop.ExpiryBlock != 0 && b > stop.ExpiryBlock) || (cancelled is > 0 && cancelled <= b)))
                {
                    expected = null;
                }

                long[] triggered = [.. events.Where(e => e.Instruction == id && e.Kind == ManagementEventKind.Triggered).Select(e => e.Block)];
                if (!triggered.SequenceEqual(expected is { } block ? [block] : []))
                {
                    return false;
                }
            }
        }

        return true;
    });

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property ATrailingStopTriggersOnlyAndFirstWhenThePriceHasRetracedByItsDistanceFromTheExtreme() => Prop.ForAll(Seeds, seed =>
    {
        Scenario scenario = Scenario.Generate(seed);
        List<ManagementEvent> events = scenario.Run(new ManagerHarness());
        long?[] usable = UsableOracles(scenario);
        foreach (ManagementEvent activation in events.Where(e => e.Kind == ManagementEventKind.Activated))
        {
            Instruction instruction = scenario.ById[activation.Instruction];
            InstructionLeg leg = activation.Role == LegRole.Second ? instruction.Second : instruction.First;
            long extreme = activation.Price;
            long? expected = null;
            for (long block = activation.Block + 1; block <= scenario.Blocks.Length && expected is null; block++)
            {
                if (usable[block] is not { } oracle)
                {
                    continue;
                }

                extreme = leg.Side == Side.Sell ? Math.Max(extreme, oracle) : Math.Min(extreme, oracle);
                bool retraced = leg.Side == Side.Sell
                    ? (Int128)oracle * 10_000 <= (Int128)extreme * (10_000 - leg.TrailingBps)
                    : (Int128)oracle * 10_000 >= (Int128)extreme * (10_000 + leg.TrailingBps);
                if (retraced)
                {
                    expected = block;
                }
            }

            long ended = events.Where(e => e.Instruction == activation.Instruction && e.Kind is ManagementEventKind.Cancelled or ManagementEventKind.Expired or ManagementEventKind.Completed)
                .Select(e => e.Block).DefaultIfEmpty(long.MaxValue).Min();
            ManagementEvent[] triggers = [.. events.Where(e => e.Instruction == activation.Instruction && e.Role == activation.Role && e.Kind == ManagementEventKind.Triggered)];
            if (expected is { } b && b < ended)
            {
                if (triggers.Length != 1 || triggers[0].Block != b)
                {
                    return false;
                }
            }
            else if (triggers.Length != 0 && !(expected is { } same && triggers[0].Block == same))
            {
                return false;
            }
        }

        return true;
    });

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property TwapPartsNeverExceedTheCapAndNeverSumPastTheQuantity() => Prop.ForAll(Seeds, seed =>
    {
        Scenario scenario = Scenario.Generate(seed);
        List<ManagementEvent> events = scenario.Run(new ManagerHarness());
        foreach (Instruction twap in scenario.ById.Values.Where(i => i.Kind == InstructionKind.Twap))
        {
            Hash32 id = IdOf(twap);
            long cap = 3 * ((twap.Quantity + twap.Parts - 1) / twap.Parts);
            long filled = 0;
            foreach (ManagementEvent e in events.Where(e => e.Instruction == id))
            {
                if (e.Kind == ManagementEventKind.Released && (e.Quantity > cap || e.Quantity > twap.Quantity - filled || e.Part >= twap.Parts))
                {
                    return false;
                }

                filled += e.Kind == ManagementEventKind.Fill ? e.Quantity : 0;
            }

            if (filled > twap.Quantity)
            {
                return false;
            }
        }

        return true;
    });

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property AnIcebergNeverShowsMoreThanItsDisplayNorALimitMoreThanItsRemainder() => Prop.ForAll(Seeds, seed =>
    {
        Scenario scenario = Scenario.Generate(seed);
        List<ManagementEvent> events = scenario.Run(new ManagerHarness());
        foreach (Instruction limit in scenario.ById.Values.Where(i => i.Kind == InstructionKind.Limit))
        {
            Hash32 id = IdOf(limit);
            long filled = 0;
            foreach (ManagementEvent e in events.Where(e => e.Instruction == id))
            {
                long shown = limit.First.DisplayQuantity == 0 ? limit.First.Quantity : limit.First.DisplayQuantity;
                if (e.Kind == ManagementEventKind.Released && (e.Quantity > shown || e.Quantity > limit.First.Quantity - filled || e.Price != limit.First.Price))
                {
                    return false;
                }

                filled += e.Kind == ManagementEventKind.Fill ? e.Quantity : 0;
            }
        }

        return true;
    });

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property OcoLegsNeverBothFillAndNothingOfOneIsReleasedOnceTheOtherTriggeredOrFilled() => Prop.ForAll(Seeds, seed =>
    {
        Scenario scenario = Scenario.Generate(seed);
        List<ManagementEvent> events = scenario.Run(new ManagerHarness());
        return scenario.ById.Values.Where(i => i.Kind == InstructionKind.Oco).All(oco =>
        {
            Hash32 id = IdOf(oco);
            LegRole? winner = null;
            foreach (ManagementEvent e in events.Where(e => e.Instruction == id))
            {
                if (e.Kind is ManagementEventKind.Released or ManagementEventKind.Fill && winner is { } w && w != e.Role)
                {
                    return false;
                }

                if (e.Kind is ManagementEventKind.Triggered or ManagementEventKind.Fill)
                {
                    winner ??= e.Role;
                }
            }

            return events.Where(e => e.Instruction == id && e.Kind == ManagementEventKind.Fill).Select(e => e.Role).Distinct().Count() <= 1;
        });
    });

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property ABracketsExitsNeverCloseOrOfferMoreThanItsEntryFilled() => Prop.ForAll(Seeds, seed =>
    {
        Scenario scenario = Scenario.Generate(seed);
        List<ManagementEvent> events = scenario.Run(new ManagerHarness());
        foreach (Instruction bracket in scenario.ById.Values.Where(i => i.Kind == InstructionKind.Bracket))
        {
            Hash32 id = IdOf(bracket);
            long entry = 0;
            long closed = 0;
            var offered = new Dictionary<LegRole, long>();
            foreach (ManagementEvent e in events.Where(e => e.Instruction == id))
            {
                bool exit = e.Role is LegRole.TakeProfit or LegRole.StopLoss;
                if (e.Kind == ManagementEventKind.Fill)
                {
                    (exit ? ref closed : ref entry) += e.Quantity;
                    if (exit)
                    {
                        offered[e.Role] = 0;
                    }
                }
                else if (e.Kind == ManagementEventKind.Released && exit)
                {
                    offered[e.Role] = e.Quantity;
                }

                if (e.Kind == ManagementEventKind.Fill && !exit)
                {
                    continue;
                }

                if (closed > entry || (e.Kind == ManagementEventKind.Released && offered.Values.Sum() > entry - closed))
                {
                    return false;
                }
            }
        }

        return true;
    });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property RestoringASnapshotTakenAtAnyBlockGivesTheSameLaterEvents() => Prop.ForAll(SeedsAndCuts, input =>
    {
        Scenario scenario = Scenario.Generate(input.Seed);
        int cut = Math.Min(input.Cut, scenario.Blocks.Length);
        List<ManagementEvent> whole = scenario.Run(new ManagerHarness(), 0, scenario.Blocks.Length);

        var first = new ManagerHarness();
        List<ManagementEvent> before = scenario.Run(first, 0, cut);
        byte[] snapshot = first.Snapshot();
        var restored = new ManagerHarness(OrderManager.Restore(snapshot, first.Manager.Settings, Domain));
        byte[] again = restored.Snapshot();
        List<ManagementEvent> after = scenario.Run(restored, cut);
        return snapshot.AsSpan().SequenceEqual(again) && whole.SequenceEqual([.. before, .. after]);
    });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property TheSameScenarioGivesTheSameEventsWhateverTheOrderOfSubmissionsWithinABlock() => Prop.ForAll(Seeds, seed =>
    {
        Scenario scenario = Scenario.Generate(seed);
        List<ManagementEvent> inOrder = scenario.Run(new ManagerHarness());
        var shuffle = new Random(seed ^ 0x5EED);
        List<ManagementEvent> shuffled = scenario.Run(new ManagerHarness(), arrange: block => block with
        {
            Instructions = [.. Enumerable.Reverse(block.Instructions).OrderBy(_ => shuffle.Next())],
            Cancellations = [.. block.Cancellations.OrderBy(_ => shuffle.Next())],
        });
        return inOrder.SequenceEqual(shuffled);
    });

    /// <summary>Guards the properties above against vacuity: the scenarios reach every kind of event.</summary>
    [NUnit.Framework.Test]
    public void TheScenariosReachEveryKindOfEvent()
    {
        var kinds = new HashSet<ManagementEventKind>();
        for (int seed = 0; seed < 60; seed++)
        {
            kinds.UnionWith(Scenario.Generate(seed).Run(new ManagerHarness(maxPerTrader: 8, maxReleasesPerTrader: 3)).Select(e => e.Kind));
        }

        NUnit.Framework.Assert.That(kinds, NUnit.Framework.Is.EquivalentTo(Enum.GetValues<ManagementEventKind>()));
    }

    /// <summary>The observation the manager may use in each block (index = block), judged as it judges it.</summary>
    private static long?[] UsableOracles(Scenario scenario)
    {
        var usable = new long?[scenario.Blocks.Length + 1];
        OracleObservation? last = null;
        foreach (ScenarioBlock block in scenario.Blocks)
        {
            if (block.Oracle is { } price)
            {
                last = new OracleObservation(price, block.PublishedBlock);
            }

            if (last is { } o && o.PublishedBlock <= block.Block && block.Block - o.PublishedBlock <= OrderManagerSettings.DefaultMaxOracleAgeBlocks)
            {
                usable[block.Block] = o.Price;
            }
        }

        return usable;
    }

    private static long? FirstCrossing(Scenario scenario, long from, InstructionLeg stop)
    {
        long?[] usable = UsableOracles(scenario);
        bool falling = (stop.Side == Side.Sell) == (stop.StopKind == StopKind.StopLoss);
        for (long block = from; block < usable.Length; block++)
        {
            if (usable[block] is { } oracle && (falling ? oracle <= stop.Price : oracle >= stop.Price))
            {
                return block;
            }
        }

        return null;
    }
}
