using System.Buffers.Binary;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Venue;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static AuctionEngine.Tests.Venue.MultiMarketVenueHarness;

namespace AuctionEngine.Tests.Venue;

/// <summary>
/// The multi-market venue's invariants over random runs of two perpetuals and three option series that expire on the
/// way: leveraged traders, a market maker in every market, standing instructions on every market, hostile submissions
/// for no market, random-walk oracles that sometimes miss a block.
/// </summary>
[TestFixture]
public sealed class MultiMarketVenueProperties
{
    private const int Traders = 5;
    private const int MarketMaker = 6;

    /// <summary>A stated position in a venue snapshot: the trader's address and its signed lots.</summary>
    private const int PositionRecord = 20 + 8;
    private static readonly int[] Everyone = [1, 2, 3, 4, 5, MarketMaker];
    private static readonly Arbitrary<int> Seeds = Arb.From(Gen.Choose(0, int.MaxValue));
    private static readonly CircuitBreakerSettings Interrupting = new(dynamicBandBps: 0, staticBandBps: 500, extensionBlocks: 1);

    [FsCheck.NUnit.Property(MaxTest = 40)]
    public Property MoneyIsConservedRoutingHoldsAndExpiredSeriesNeverTradeInEveryBlock() => Prop.ForAll(Seeds, seed =>
    {
        Scenario scenario = Scenario.Record(seed);
        using MultiMarketVenueHarness harness = scenario.NewVenue();
        Dictionary<Hash32, Instruction> byId = scenario.Blocks.SelectMany(b => b.Instructions).DistinctBy(IdOf).ToDictionary(IdOf);
        var settledAt = new Dictionary<int, long>();
        foreach (ScenarioBlock block in scenario.Blocks)
        {
            List<PerpetualVenueEvent> events = Scenario.Play(harness, block, shuffle: null);
            Int128 gap = harness.ConservationGap(Everyone);
            if (gap != 0)
            {
                return false.Label($"seed {seed}: block {block.Block} created or lost {gap} quote atoms");
            }

            // Every manager event about an instruction is in the lane of the market the instruction names.
            foreach (PerpetualVenueEvent e in events.Where(e => e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Management))
            {
                if (byId.TryGetValue(e.Venue.Management.Instruction, out Instruction instruction) && instruction.Market != MarketAddress(e.MarketIndex))
                {
                    return false.Label($"seed {seed}: {e.Venue.Management.Kind} of an instruction for {instruction.Market} reported by market {e.MarketIndex}");
                }
            }

            foreach (PerpetualVenueEvent e in events.OfKind(PerpetualVenueEventKind.SeriesSettled))
            {
                long expiry = harness.Engine.GetSeries(e.MarketIndex).ExpiryBlock;
                int underlying = Underlying(e.MarketIndex);
                long firstUsable = scenario.Blocks.First(b => b.Block >= expiry && b.Oracles[underlying] is not null).Block;
                if (firstUsable != block.Block || !settledAt.TryAdd(e.MarketIndex, block.Block) || e.Settlement.SettlementPrice != block.Oracles[underlying])
                {
                    return false.Label($"seed {seed}: series {e.MarketIndex} settled at block {block.Block}, price {e.Settlement.SettlementPrice}; expected at {firstUsable}, once, at the oracle");
                }
            }

            // Only a series' manager closes, and only in its expiry block.
            foreach (PerpetualVenueEvent e in events.Where(e => e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Management
                && e.Venue.Management.Cause == CancelCause.MarketClosed))
            {
                if (e.MarketIndex < Call0 || harness.Engine.GetSeries(e.MarketIndex).ExpiryBlock != block.Block)
                {
                    return false.Label($"seed {seed}: market {e.MarketIndex} closed an instruction at block {block.Block}");
                }
            }

            // From its expiry block a series trades no more: no fill of any kind, no position. Its manager is closed: it
            // holds nothing, evaluates to nothing (no release, no Stale), and afterwards only refuses.
            for (int series = Call0; series < MarketCount; series++)
            {
                long expiry = harness.Engine.GetSeries(series).ExpiryBlock;
                if (block.Block < expiry)
                {
                    continue;
                }

                OrderManager manager = harness.Manager(series);
                ManagementEvent[] managed = [.. events.Where(e => e.MarketIndex == series && e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Management)
                    .Select(e => e.Venue.Management)];
                bool evaluated = managed.Any(e => e.Kind is ManagementEventKind.Stale or ManagementEventKind.Released or ManagementEventKind.Throttled
                    or ManagementEventKind.Expired or ManagementEventKind.PartSkipped or ManagementEventKind.Triggered or ManagementEventKind.Activated);
                bool onlyRefusals = block.Block == expiry || managed.All(e => (e.Kind, e.Reason) is (ManagementEventKind.Rejected, InstructionRejectReason.MarketClosed)
                    or (ManagementEventKind.CancellationRejected, InstructionRejectReason.UnknownInstruction));
                if (evaluated || !onlyRefusals || !manager.IsClosed || manager.LiveInstructions != 0)
                {
                    return false.Label($"seed {seed}: series {series}'s manager evaluated, held or accepted something at block {block.Block}, from its expiry {expiry}");
                }

                bool traded = events.Any(e => e.MarketIndex == series && e.Kind == PerpetualVenueEventKind.Venue
                    && (e.Venue.Kind == VenueEventKind.Fill || (e.Venue.Kind == VenueEventKind.Management && e.Venue.Management.Kind == ManagementEventKind.Fill)));
                bool open = settledAt.ContainsKey(series) && Everyone.Any(t => harness.Position(t, series) != 0);
                bool refusedOtherwise = events.Any(e => e.MarketIndex == series && e.Kind == PerpetualVenueEventKind.Rejected
                    && e.Admission is not (AdmissionStatus.SeriesExpired or AdmissionStatus.UnknownAccount));
                if (traded || open || refusedOtherwise)
                {
                    return false.Label($"seed {seed}: series {series} traded, kept a position or was refused for another reason after its expiry, at block {block.Block}");
                }
            }
        }

        return true.Label("ok");
    });

    [FsCheck.NUnit.Property(MaxTest = 25)]
    public Property TheSameRunGivesTheSameEventsWhateverTheSubmissionOrder() => Prop.ForAll(Seeds, seed =>
    {
        Scenario scenario = Scenario.Record(seed);
        List<PerpetualVenueEvent> inOrder = scenario.Replay(shuffleSeed: null);
        List<PerpetualVenueEvent> shuffled = scenario.Replay(shuffleSeed: seed ^ 0x2545F491);
        return (inOrder.Count > 0 && inOrder.SequenceEqual(shuffled)).Label($"seed {seed}: {inOrder.Count} events in order, {shuffled.Count} shuffled");
    });

    /// <summary>
    /// A restarted keeper loses nothing: snapshot every part (the engine, the perpetual venue, each batch venue and its
    /// manager) after any block of a run with liquidations, funding, expiries and interrupted batches, restore them into
    /// fresh objects, and the rest of the run reports exactly the same events and ends in exactly the same state. The runs
    /// include delta hedges and quotes of traders holding options, whose exposures and positions (in no snapshot) the
    /// restored venue must state again exactly as the original's managers knew them.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 25)]
    public Property RestoringTheEngineAndEveryVenueAtAnyBlockGivesTheSameLaterEvents() => Prop.ForAll(Seeds, Arb.From(Gen.Choose(0, 16)), (seed, restoreAfter) =>
    {
        Scenario scenario = Scenario.Record(seed, Interrupting, swingPerMille: 150, hedgesAndQuotes: true);
        using MultiMarketVenueHarness uninterrupted = scenario.NewVenue();
        using MultiMarketVenueHarness restarted = scenario.NewVenue();
        bool roundTrips = true;
        foreach (ScenarioBlock block in scenario.Blocks)
        {
            if (block.Block == restoreAfter + 1)
            {
                roundTrips = RestoreAndCompare(restarted);
            }

            Scenario.Play(uninterrupted, block, shuffle: null);
            Scenario.Play(restarted, block, shuffle: null);
        }

        if (restoreAfter == scenario.Blocks.Count)
        {
            roundTrips = RestoreAndCompare(restarted);
        }

        bool sameEvents = uninterrupted.Events.SequenceEqual(restarted.Events);
        bool sameState = uninterrupted.Snapshot().SameBytes(restarted.Snapshot()) && restarted.ConservationGap(Everyone) == 0;
        return (roundTrips && sameEvents && sameState).Label(
            $"seed {seed}, restored after block {restoreAfter}: bytes round-trip {roundTrips}, events {uninterrupted.Events.Count} vs {restarted.Events.Count} "
            + $"(first difference {uninterrupted.Events.Zip(restarted.Events).FirstOrDefault(p => p.First != p.Second)}), same final state {sameState}");

        static bool RestoreAndCompare(MultiMarketVenueHarness harness)
        {
            MultiMarketSnapshot written = harness.Snapshot();
            harness.RestoreFrom(written);
            return written.SameBytes(harness.Snapshot());
        }
    });

    [Test]
    public void TheRestoredRunsTakeSnapshotsWithInterruptedBatchesAndLiquidations()
    {
        int interrupted = 0, hostOrdersWaiting = 0, interruptions = 0, released = 0, liquidationFills = 0;
        for (int seed = 0; seed < 20; seed++)
        {
            Scenario scenario = Scenario.Record(seed, Interrupting, swingPerMille: 150);
            using MultiMarketVenueHarness harness = scenario.NewVenue();
            foreach (ScenarioBlock block in scenario.Blocks)
            {
                Scenario.Play(harness, block, shuffle: null);
                interrupted += harness.Venue.Venues.Count(v => v.InterruptedUntil is not null);
                hostOrdersWaiting += harness.Venue.Venues.Sum(v => v.WaitingOrders);
                released += harness.Engine.ReleasedLiquidations.Length;
                harness.RestoreFrom(harness.Snapshot());
            }

            liquidationFills += harness.Events.Count(e => e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Fill
                && e.Venue.Source == harness.Venue.LiquidationSource && e.Venue.Quantity > 0);
            interruptions += harness.Events.Count(e => e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Interrupted);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(interrupted, Is.Positive, "snapshots taken while a batch waits");
            Assert.That(hostOrdersWaiting, Is.Positive, "snapshots holding waiting orders");
            Assert.That(released, Is.Positive, "snapshots holding released liquidation orders");
            Assert.That(liquidationFills, Is.Positive, "liquidation fills after restores");
            Assert.That(interruptions, Is.Positive, "interrupted batches");
        }
    }

    [Test]
    public void TheRestoredRunsReleaseAndFillHedgesAndQuotesOfTradersHoldingOptions()
    {
        int hedges = 0, quotes = 0, hedgeFills = 0, quoteFills = 0, atLimit = 0, exposed = 0;
        for (int seed = 0; seed < 20; seed++)
        {
            Scenario scenario = Scenario.Record(seed, Interrupting, swingPerMille: 150, hedgesAndQuotes: true);
            Dictionary<Hash32, Instruction> byId = scenario.Blocks.SelectMany(b => b.Instructions).DistinctBy(IdOf).ToDictionary(IdOf);
            using MultiMarketVenueHarness harness = scenario.NewVenue();
            foreach (ScenarioBlock block in scenario.Blocks)
            {
                // Every block is evaluated by a venue restored from the last block's snapshot.
                List<PerpetualVenueEvent> events = Scenario.Play(harness, block, shuffle: null);
                PerpetualVenueEvent[] released = [.. events.Where(e => e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Management
                    && e.Venue.Management.Kind == ManagementEventKind.Released)];
                hedges += released.Count(e => e.Venue.Management.Role == LegRole.Hedge);
                quotes += released.Count(e => e.Venue.Management.Role is LegRole.Bid or LegRole.Ask);
                exposed += harness.Venue.Exposures.ToArray().Count(x => x.Delta != 0 && x.Vega != 0);

                // A quote that bid only while its trader was short to its limit, or asked only while long to it: the side
                // withheld for the position the restored manager was told.
                foreach (IGrouping<Hash32, PerpetualVenueEvent> quote in released.Where(e => e.Venue.Management.Role is LegRole.Bid or LegRole.Ask).GroupBy(e => e.Venue.Management.Instruction))
                {
                    Instruction terms = byId[quote.Key];
                    long? position = harness.Manager(quote.First().MarketIndex).GetPosition(terms.Trader);
                    LegRole[] sides = [.. quote.Select(e => e.Venue.Management.Role)];
                    atLimit += terms.MaxPosition != 0 && sides.Length == 1
                        && ((sides[0] == LegRole.Bid && position <= -terms.MaxPosition) || (sides[0] == LegRole.Ask && position >= terms.MaxPosition)) ? 1 : 0;
                }

                harness.RestoreFrom(harness.Snapshot());
            }

            ManagementEvent[] fills = [.. harness.Events.Managed(ManagementEventKind.Fill)];
            hedgeFills += fills.Count(e => e.Role == LegRole.Hedge);
            quoteFills += fills.Count(e => e.Role is LegRole.Bid or LegRole.Ask);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exposed, Is.Positive, "hedgers and quoters holding options: non-zero delta and vega");
            Assert.That(hedges, Is.Positive, "hedges released after restores");
            Assert.That(quotes, Is.Positive, "quotes released after restores");
            Assert.That(hedgeFills, Is.Positive, "hedge fills after restores");
            Assert.That(quoteFills, Is.Positive, "quote fills after restores");
            Assert.That(atLimit, Is.Positive, "quotes held to one side by their position limit");
        }
    }

    [Test]
    public void ACorruptOrMismatchedPerpetualVenueSnapshotIsRefused()
    {
        (MultiMarketVenueHarness harness, MultiMarketSnapshot snapshot) = SnapshotWithWaitingHostOrders();
        using (harness)
        {
            byte[] bytes = snapshot.Venue;
            for (int length = 0; length < bytes.Length; length++)
            {
                Assert.Throws<InvalidDataException>(() => harness.RestoreFrom(snapshot with { Venue = bytes[..length] }), $"cut to {length} of {bytes.Length} bytes");
            }

            byte[] version = [.. bytes];
            version[4] ^= 1;
            byte[] trailing = [.. bytes, 0];
            byte[] markets = [.. bytes];
            BinaryPrimitives.WriteInt32LittleEndian(markets.AsSpan(6), MarketCount + 1);
            byte[] hostCount = [.. bytes];
            BinaryPrimitives.WriteInt32LittleEndian(hostCount.AsSpan(14 + 2), int.MaxValue);
            byte[] negativeCount = [.. bytes];
            BinaryPrimitives.WriteInt32LittleEndian(negativeCount.AsSpan(14 + 2), -1);
            byte[] flag = [.. bytes];
            flag[14] = 2;

            // The parts of another block: the batch venues hold other waiting orders than the venue's snapshot names.
            MultiMarketSnapshot later = harness.Snapshot();
            Assert.Multiple(() =>
            {
                foreach ((string what, byte[] corrupt) in new[] { ("version", version), ("trailing", trailing), ("markets", markets), ("host count", hostCount), ("negative count", negativeCount), ("flag", flag) })
                {
                    Assert.Throws<InvalidDataException>(() => harness.RestoreFrom(snapshot with { Venue = corrupt }), what);
                }

                Assert.Throws<InvalidDataException>(() => harness.RestoreFrom(snapshot with { Venue = EmptyLanes() }), "waiting host orders the venue snapshot does not name");
            });
            Assert.That(later.SameBytes(harness.Snapshot()), Is.True, "a refused restore changed nothing");
        }

        static byte[] EmptyLanes()
        {
            var bytes = new List<byte> { 0x41, 0x45, 0x50, 0x56, PerpetualVenue.SnapshotVersion, 0 };
            bytes.AddRange(BitConverter.GetBytes(MarketCount));
            bytes.AddRange(BitConverter.GetBytes(2));
            bytes.AddRange([1, 1]);
            for (int m = 0; m < MarketCount; m++)
            {
                bytes.AddRange(new byte[8]);
            }

            return [.. bytes];
        }
    }

    [Test]
    public void AManagerSnapshotStatingPositionsOutOfOrderIsRefused()
    {
        Scenario scenario = Scenario.Record(0, Interrupting, swingPerMille: 150, hedgesAndQuotes: true);
        using MultiMarketVenueHarness harness = scenario.NewVenue();
        foreach (ScenarioBlock block in scenario.Blocks)
        {
            Scenario.Play(harness, block, shuffle: null);
        }

        // The stated positions close a manager's snapshot: a count, then address and lots, ascending address.
        MultiMarketSnapshot snapshot = harness.Snapshot();
        int market = Enumerable.Range(0, MarketCount).First(m => Everyone.Count(t => harness.Manager(m).GetPosition(Account(t)) is not null) >= 2);
        int stated = Everyone.Count(t => harness.Manager(market).GetPosition(Account(t)) is not null);
        byte[] bytes = snapshot.Managers[market];
        int positions = bytes.Length - (PositionRecord * stated);
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(positions - 4)), Is.EqualTo(stated), "the positions end the snapshot");
        byte[] descending = [.. bytes];
        bytes.AsSpan(positions, PositionRecord).CopyTo(descending.AsSpan(positions + PositionRecord));
        bytes.AsSpan(positions + PositionRecord, PositionRecord).CopyTo(descending.AsSpan(positions));
        byte[] twice = [.. bytes];
        bytes.AsSpan(positions, PositionRecord).CopyTo(twice.AsSpan(positions + PositionRecord));
        byte[][] Managers(byte[] replaced) => [.. snapshot.Managers.Select((m, i) => i == market ? replaced : m)];
        Assert.Multiple(() =>
        {
            Assert.Throws<InvalidDataException>(() => harness.RestoreFrom(snapshot with { Managers = Managers(descending) }), "descending");
            Assert.Throws<InvalidDataException>(() => harness.RestoreFrom(snapshot with { Managers = Managers(twice) }), "twice");
            Assert.That(snapshot.SameBytes(harness.Snapshot()), Is.True, "a refused restore changed nothing");
        });
        harness.RestoreFrom(snapshot);
        Assert.That(snapshot.SameBytes(harness.Snapshot()), Is.True, "the positions in order restore");
    }

    [Test]
    public void BatchVenuesRestoredWithoutTheRestoringSourceAreRefusedAndTheSourceNeverRuns()
    {
        (MultiMarketVenueHarness harness, MultiMarketSnapshot snapshot) = SnapshotWithWaitingHostOrders();
        using (harness)
        {
            using var clearing = new AuctionEngine.Clearing.ClearingEngine(16);
            BatchVenue[] withoutPlaceholder = [.. Enumerable.Range(0, MarketCount).Select(m => new BatchVenue(
                OrderManager.Restore(snapshot.Managers[m], harness.Manager(m).Settings, Management.ManagerHarness.Domain), clearing, CircuitBreakerSettings.Off))];
            Assert.Throws<ArgumentException>(() => PerpetualVenue.Restore(snapshot.Venue, withoutPlaceholder, PerpetualEngine.Restore(snapshot.Engine)));
            Assert.Throws<InvalidOperationException>(() => PerpetualVenue.RestoringSource.ListOrders(1, null!));
        }
    }

    [Test]
    public void AWarmPerpetualVenueSnapshotWriteAllocatesOnlyWhatTheBufferWriterGives()
    {
        (MultiMarketVenueHarness harness, MultiMarketSnapshot snapshot) = SnapshotWithWaitingHostOrders();
        using (harness)
        {
            var writer = new System.Buffers.ArrayBufferWriter<byte>(1 << 12);
            harness.Venue.WriteSnapshot(writer);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                writer.ResetWrittenCount();
                harness.Venue.WriteSnapshot(writer);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(allocated, Is.Zero);
            Assert.That(writer.WrittenSpan.ToArray(), Is.EqualTo(snapshot.Venue));
        }
    }

    /// <summary>A run stopped at the first block whose snapshot holds host orders waiting in an interrupted batch.</summary>
    private static (MultiMarketVenueHarness Harness, MultiMarketSnapshot Snapshot) SnapshotWithWaitingHostOrders()
    {
        for (int seed = 0; ; seed++)
        {
            Scenario scenario = Scenario.Record(seed, Interrupting, swingPerMille: 150);
            MultiMarketVenueHarness harness = scenario.NewVenue();
            foreach (ScenarioBlock block in scenario.Blocks)
            {
                Scenario.Play(harness, block, shuffle: null);
                var waiting = new List<ulong>();
                foreach (BatchVenue venue in harness.Venue.Venues)
                {
                    venue.CollectWaitingHostOrders(waiting);
                }

                if (waiting.Count > 0)
                {
                    return (harness, harness.Snapshot());
                }
            }

            harness.Dispose();
        }
    }

    [Test]
    public void TheRandomRunsReachEveryRuleTheyCheck()
    {
        List<PerpetualVenueEvent> events = [.. Enumerable.Range(0, 20).SelectMany(seed => Scenario.Record(seed).Replay(shuffleSeed: null))];
        Assert.Multiple(() =>
        {
            Assert.That(events.OfKind(PerpetualVenueEventKind.SeriesSettled).Where(e => e.Settlement.OpenInterest > 0), Is.Not.Empty, "settlements of open positions");
            Assert.That(events.Where(e => e.MarketIndex >= Call0).Venue(VenueEventKind.Fill), Is.Not.Empty, "series fills");
            Assert.That(events.Where(e => e.MarketIndex >= Call0).Managed(ManagementEventKind.Fill), Is.Not.Empty, "managed series fills");
            Assert.That(events.Where(e => e.MarketIndex == Perp1).Managed(ManagementEventKind.Fill), Is.Not.Empty, "managed fills on the second perpetual");
            Assert.That(events.Where(e => e.Admission == AdmissionStatus.SeriesExpired), Is.Not.Empty, "orders refused on expired series");
            Assert.That(events.Where(e => e.Admission == AdmissionStatus.UnknownMarket), Is.Not.Empty, "orders for no market");
            Assert.That(events.OfKind(PerpetualVenueEventKind.InstructionRejected), Is.Not.Empty, "instructions for no market");
            Assert.That(events.OfKind(PerpetualVenueEventKind.CancellationRejected), Is.Not.Empty, "cancellations for no market");
            Assert.That(events.Where(e => e.Admission == AdmissionStatus.InsufficientMargin), Is.Not.Empty, "margin rejections");
            Assert.That(events.Managed(ManagementEventKind.Cancelled), Is.Not.Empty, "cancellations routed to their market");
            Assert.That(events.Managed(ManagementEventKind.Cancelled).Where(e => e.Cause == CancelCause.MarketClosed), Is.Not.Empty, "series' instructions closed at expiry");
            Assert.That(events.Managed(ManagementEventKind.Rejected).Where(e => e.Reason == InstructionRejectReason.MarketClosed), Is.Not.Empty, "instructions refused by a closed series");
        });
    }

    private sealed record ScenarioBlock(long Block, long?[] Oracles, PerpetualOrder[] Orders, Instruction[] Instructions, InstructionCancellation[] Cancellations);

    /// <summary>A run recorded once (its orders priced off the venue's marks as it went), then replayed as often as needed.</summary>
    private sealed class Scenario
    {
        public required List<ScenarioBlock> Blocks { get; init; }

        public required long[] Collateral { get; init; }

        /// <summary>Every market's circuit breaker: off, or tight enough to interrupt batches now and then.</summary>
        public CircuitBreakerSettings Breaker { get; init; } = CircuitBreakerSettings.Off;

        /// <param name="seed">The run's seed.</param>
        /// <param name="breaker">Every market's circuit breaker; off by default.</param>
        /// <param name="swingPerMille">The largest oracle move per block, in thousandths.</param>
        /// <param name="hedgesAndQuotes">
        /// Whether traders also submit delta hedges on the perpetuals and quotes on the series, drawn from a random stream
        /// of their own so that a seed's other draws (and every run without them) stay as they were.
        /// </param>
        public static Scenario Record(int seed, CircuitBreakerSettings? breaker = null, int swingPerMille = 40, bool hedgesAndQuotes = false)
        {
            var random = new Random(seed);
            Random? exposureRandom = hedgesAndQuotes ? new Random(seed ^ 0x68e31da4) : null;
            var scenario = new Scenario
            {
                Blocks = [], Collateral = [.. Enumerable.Range(0, Traders).Select(_ => random.NextInt64(20_000, 5_000_000))], Breaker = breaker ?? CircuitBreakerSettings.Off,
            };
            using MultiMarketVenueHarness harness = scenario.NewVenue();
            long[] oracle = [10_000, 2_000];
            var instructions = new List<Instruction>();
            int nonce = 0;
            for (long block = 1; block <= 16; block++)
            {
                oracle[0] = Math.Clamp(oracle[0] + (oracle[0] * random.Next(-swingPerMille, swingPerMille + 1) / 1_000), 6_000, 16_000);
                oracle[1] = Math.Clamp(oracle[1] + (oracle[1] * random.Next(-swingPerMille, swingPerMille + 1) / 1_000), 1_200, 3_200);
                long?[] observed = [block == 1 || random.Next(4) > 0 ? oracle[0] : null, block == 1 || random.Next(4) > 0 ? oracle[1] : null];
                var orders = new List<PerpetualOrder>();
                for (int market = 0; market < MarketCount; market++)
                {
                    long reference = Reference(harness, market, oracle);
                    orders.Add(Order(market, MarketMaker, Side.Buy, Math.Max(1, reference * (1_000 - random.Next(0, 30)) / 1_000), random.Next(5, 60)));
                    orders.Add(Order(market, MarketMaker, Side.Sell, reference * (1_000 + random.Next(0, 30)) / 1_000, random.Next(5, 60)));
                }

                for (int n = random.Next(0, 8); n > 0; n--)
                {
                    int trader = random.Next(1, Traders + 1);
                    int market = random.Next(20) == 0 ? (random.Next(2) == 0 ? -1 : MarketCount + random.Next(5)) : random.Next(MarketCount);
                    long reference = Reference(harness, Math.Clamp(market, 0, MarketCount - 1), oracle);
                    long price = Math.Max(1, reference * (1_000 + random.Next(-60, 61)) / 1_000);
                    orders.Add(Order(market, trader, random.Next(2) == 0 ? Side.Buy : Side.Sell, price, random.Next(1, 80), reduceOnly: random.Next(4) == 0));
                }

                var submitted = new List<Instruction>();
                if (random.Next(2) == 0)
                {
                    int trader = random.Next(1, Traders + 1);
                    int market = random.Next(MarketCount);
                    long reference = Reference(harness, market, oracle);
                    Side side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
                    Address address = random.Next(12) == 0 ? Account(900 + random.Next(3)) : MarketAddress(market);
                    submitted.Add(random.Next(3) == 0
                        ? Instruction.Twap(Account(trader), address, (UInt128)nonce++, 0, side, random.Next(4, 40), random.Next(2, 4), 1, 0, random.Next(0, 300))
                        : Instruction.Limit(Account(trader), address, (UInt128)nonce++, 0, InstructionLeg.Limit(side, Math.Max(1, reference * (1_000 + random.Next(-20, 21)) / 1_000), random.Next(1, 30)))
                            with { ReduceOnly = random.Next(4) == 0 });
                }

                if (exposureRandom is not null)
                {
                    submitted.AddRange(HedgesAndQuotes(exposureRandom, ref nonce));
                }

                var cancellations = new List<InstructionCancellation>();
                if (instructions.Count > 0 && random.Next(4) == 0)
                {
                    Instruction target = instructions[random.Next(instructions.Count)];
                    cancellations.Add(new InstructionCancellation(target.Trader, random.Next(5) == 0 ? Account(950) : target.Market, IdOf(target)));
                }

                instructions.AddRange(submitted);
                var recorded = new ScenarioBlock(block, observed, [.. orders], [.. submitted], [.. cancellations]);
                scenario.Blocks.Add(recorded);
                Play(harness, recorded, shuffle: null);
            }

            return scenario;
        }

        /// <summary>
        /// Now and then a trader's delta hedge on a perpetual or quote on a series, with a small position limit so that a
        /// quote's one-sided withholding (which reads the manager's known position) happens often. The traders hold options
        /// from their random series orders, so the exposures the hedges and quotes act on are not zero.
        /// </summary>
        private static List<Instruction> HedgesAndQuotes(Random random, ref int nonce)
        {
            var drawn = new List<Instruction>();
            if (random.Next(3) > 0)
            {
                drawn.Add(Instruction.DeltaHedge(Account(random.Next(1, Traders + 1)), MarketAddress(random.Next(Call0)), (UInt128)nonce++, 0,
                    targetDelta: random.Next(-5, 6), band: random.Next(0, 4), maxQuantity: random.Next(1, 60), toleranceBps: random.Next(0, 400)));
            }

            if (random.Next(3) > 0)
            {
                drawn.Add(Instruction.Quote(Account(random.Next(1, Traders + 1)), MarketAddress(random.Next(Call0, MarketCount)), (UInt128)nonce++, 0,
                    quantity: random.Next(1, 12), halfSpreadBps: random.Next(0, 300), minHalfSpread: random.Next(1, 4), vegaSpreadBps: random.Next(0, 100),
                    vegaUnit: 1_000_000, deltaSpreadBps: random.Next(0, 50), deltaUnit: random.Next(1, 6), maxPosition: random.Next(4) == 0 ? 0 : random.Next(1, 15)));
            }

            return drawn;
        }

        public MultiMarketVenueHarness NewVenue()
        {
            var harness = new MultiMarketVenueHarness(callExpiry: 5, putExpiry: 9, call1Expiry: 12, fundingIntervalBlocks: 3, perpFeePpm: 300, seriesFeePpm: 400, breaker: Breaker);
            for (int trader = 1; trader <= Traders; trader++)
            {
                harness.Deposit(trader, Collateral[trader - 1]);
            }

            harness.Deposit(MarketMaker, 1_000_000_000_000);
            harness.Engine.DepositInsuranceFund(1_000_000);
            return harness;
        }

        public static List<PerpetualVenueEvent> Play(MultiMarketVenueHarness harness, ScenarioBlock block, Random? shuffle)
        {
            PerpetualOrder[] orders = [.. block.Orders];
            Instruction[] instructions = [.. block.Instructions];
            InstructionCancellation[] cancellations = [.. block.Cancellations];
            shuffle?.Shuffle(orders);
            shuffle?.Shuffle(instructions);
            shuffle?.Shuffle(cancellations);
            return harness.Block(block.Block, block.Oracles[0], block.Oracles[1], orders, instructions, cancellations);
        }

        public List<PerpetualVenueEvent> Replay(int? shuffleSeed)
        {
            using MultiMarketVenueHarness harness = NewVenue();
            Random? shuffle = shuffleSeed is { } s ? new Random(s) : null;
            foreach (ScenarioBlock block in Blocks)
            {
                Play(harness, block, shuffle);
            }

            return harness.Events;
        }

        /// <summary>Where a market trades: the oracle for a perpetual, the fair value for a series (its last one once it has expired).</summary>
        private static long Reference(MultiMarketVenueHarness harness, int market, long[] oracle) =>
            market < Call0 ? oracle[market] : harness.Engine.IsSeriesSettled(market) ? 50 : harness.FairValue(market);
    }
}
