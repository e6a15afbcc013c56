using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static AuctionEngine.Tests.Management.ManagerHarness;

namespace AuctionEngine.Tests.Management;

/// <summary>
/// <see cref="OrderManager.Close"/>: every live instruction of every kind ends as <see cref="CancelCause.MarketClosed"/>
/// (its orders waiting in an interrupted batch withdrawn first); a closed manager takes no instruction, releases nothing,
/// reports nothing when it evaluates, and keeps being closed through a snapshot.
/// </summary>
[TestFixture]
public sealed class CloseTests
{
    private const long Oracle = 10_000;

    /// <summary>One instruction of every kind, each of them live after block 1 and most with an order in batch 2.</summary>
    private static Instruction[] EveryKind() =>
    [
        Limit(1, Side.Buy, 9_990, 5),
        Limit(1, Side.Sell, 10_020, 4, expiry: 1_000, nonce: 1),
        Stop(1, Side.Sell, StopKind.StopLoss, trigger: 9_000, quantity: 4),
        Trailing(1, Side.Sell, StopKind.StopLoss, bps: 200, quantity: 3, activation: 11_000),
        Twap(2, Side.Buy, quantity: 30, parts: 3, blocksPerPart: 5),
        Oco(2, InstructionLeg.Limit(Side.Buy, 9_980, 2), InstructionLeg.Stop(Side.Buy, StopKind.StopLoss, 10_500, 2)),
        Bracket(3, InstructionLeg.Limit(Side.Buy, 9_970, 6), takeProfit: 10_500, stopLoss: 9_500),
        Hedge(3, target: 0, band: 0, maxQuantity: 50),
        Quote(4, quantity: 2),
    ];

    /// <summary>
    /// Block 1 accepts <paramref name="instructions"/> and releases for batch 2; batch 2 is interrupted (no fills), so in
    /// block 2 their orders still wait and nothing new is released. Returns the manager, open for block 3.
    /// </summary>
    private static OrderManager WithOrdersWaitingInAnInterruptedBatch(Instruction[] instructions)
    {
        var manager = new OrderManager(Settings(), Domain);
        manager.SubmitVerified(1, [], instructions);
        manager.UpdateExposure(1, Trader(3), 7, 0);
        manager.UpdateExposure(1, Trader(4), 0, 0);
        manager.Evaluate(1, new OracleObservation(Oracle, 1), Randomness(2));
        manager.Evaluate(2, new OracleObservation(Oracle, 2), Randomness(3));
        manager.ClearEvents();
        return manager;
    }

    [Test]
    public void ClosingCancelsEveryKindInAscendingIdEachAfterWithdrawingItsWaitingOrders()
    {
        Instruction[] instructions = EveryKind();
        OrderManager manager = WithOrdersWaitingInAnInterruptedBatch(instructions);
        Hash32[] ids = [.. instructions.Select(IdOf)];
        Assert.That(ids.Select(manager.IsLive), Is.All.True, "every instruction is live before the close");
        ManagedOrder[] waiting = manager.PendingOrders.ToArray();

        manager.Close(3);

        // Expected, built apart: per instruction in ascending id, a Withdrawn per waiting order, then one Cancelled.
        var expected = ids.Order().SelectMany(id => waiting.Where(o => o.Instruction == id)
            .Select(o => (ManagementEventKind.Withdrawn, id, o.Role, o.Order.Id, o.Order.Quantity, o.Batch, CancelCause.None))
            .Append((ManagementEventKind.Cancelled, id, LegRole.Whole, 0UL, 0L, 0L, CancelCause.MarketClosed)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(
                manager.Events.ToArray().Select(e => (e.Kind, e.Instruction, e.Role, e.OrderId, e.Quantity, e.Batch, e.Cause)),
                Is.EqualTo(expected));
            Assert.That(manager.Events.ToArray().Select(e => e.Block), Is.All.EqualTo(3L));
            Assert.That(waiting.Select(o => o.Role), Is.SupersetOf(new[] { LegRole.Hedge, LegRole.Bid, LegRole.Ask, LegRole.Entry, LegRole.Whole, LegRole.First }),
                "a hedge's, a quote's, a bracket's, a limit's and an OCO's orders were waiting");
            Assert.That(manager.IsClosed, Is.True);
            Assert.That(manager.LiveInstructions, Is.Zero, "every trader's instruction quota is freed");
            Assert.That(ids.Select(manager.IsLive), Is.All.False);
            Assert.That(manager.PendingOrders.Length, Is.Zero);
            Assert.That(manager.ReleasedOrders(2).Length, Is.Zero, "the interrupted batch no longer holds the manager's orders");
        }
    }

    [Test]
    public void AClosedManagerRefusesEveryInstructionAndEvaluatesToNothing()
    {
        Instruction[] before = EveryKind();
        OrderManager manager = WithOrdersWaitingInAnInterruptedBatch(before);
        manager.Close(3);
        manager.Evaluate(3, new OracleObservation(Oracle, 3), Randomness(4));
        manager.ClearEvents();
        var harness = new ManagerHarness(manager);

        Instruction[] fresh = [.. EveryKind().Select(i => i with { Nonce = i.Nonce + 100 })];
        Instruction foreign = Instruction.Limit(Trader(1), Trader(9), 0, 0, InstructionLeg.Limit(Side.Buy, 9_990, 5));
        Instruction longExpired = Limit(1, Side.Buy, 9_990, 5, expiry: 2, nonce: 200);
        var cancelClosed = Cancel(1, before[0]);
        var cancelForeign = new InstructionCancellation(Trader(1), Trader(9), IdOf(before[2]));
        List<ManagementEvent> submitted = harness.Block(4, Oracle, [.. fresh, foreign, longExpired, before[3]], [cancelClosed, cancelForeign]);
        List<ManagementEvent> signed = harness.SignedBlock(5, Oracle,
        [
            SignedInstruction.Create(Limit(2, Side.Sell, 10_000, 1, nonce: 300), Domain, PrivateKey(2)),
            SignedInstruction.Create(Limit(2, Side.Sell, 10_000, 1, nonce: 301), Domain, PrivateKey(3)),
        ]);
        List<ManagementEvent> stale = harness.Block(9, null);
        List<ManagementEvent> later = harness.Block(10, Oracle);

        var reasons = submitted.OfKind(ManagementEventKind.Rejected).ToDictionary(e => e.Instruction, e => e.Reason);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fresh.Select(i => reasons[IdOf(i)]), Is.All.EqualTo(InstructionRejectReason.MarketClosed), "every kind");
            Assert.That(reasons[IdOf(before[3])], Is.EqualTo(InstructionRejectReason.MarketClosed), "a replay of a cancelled one too");
            Assert.That(reasons[IdOf(longExpired)], Is.EqualTo(InstructionRejectReason.MarketClosed), "the closed market is checked before the expiry");
            Assert.That(reasons[IdOf(foreign)], Is.EqualTo(InstructionRejectReason.WrongMarket), "the market address is checked first");
            Assert.That(
                submitted.OfKind(ManagementEventKind.CancellationRejected).Select(e => (e.Instruction, e.Reason)),
                Is.EquivalentTo(new[] { (IdOf(before[0]), InstructionRejectReason.UnknownInstruction), (IdOf(before[2]), InstructionRejectReason.WrongMarket) }),
                "cancellations keep their answers");
            Assert.That(submitted.Count, Is.EqualTo(fresh.Length + 5), "nothing but the refusals: no release, no Stale");
            Assert.That(
                signed.Select(e => (e.Kind, e.Reason)),
                Is.EquivalentTo(new[] { (ManagementEventKind.Rejected, InstructionRejectReason.MarketClosed), (ManagementEventKind.Rejected, InstructionRejectReason.SignerNotTrader) }),
                "a signature is checked before the market");
            Assert.That(stale, Is.Empty, "no Stale for an observation 6 blocks old");
            Assert.That(later, Is.Empty);
            Assert.That(manager.LastEvaluatedBlock, Is.EqualTo(10L));
            Assert.That(manager.LiveInstructions, Is.Zero);
            Assert.That(manager.ReleasedOrders(11).Length, Is.Zero);
        }
    }

    [Test]
    public void CloseFollowsTheBlockRuleAndClosingTwiceChangesNothing()
    {
        var harness = new ManagerHarness();
        Instruction limit = Limit(1, Side.Buy, 9_990, 5);
        harness.Block(1, Oracle, [limit]);

        Assert.That(() => harness.Manager.Close(1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("block"));
        Assert.That(harness.Manager.IsClosed, Is.False, "a refused close changes nothing");
        Assert.That(harness.Manager.IsLive(IdOf(limit)), Is.True);

        harness.Manager.Close(2);
        List<ManagementEvent> first = harness.Flush();
        harness.Manager.Close(2);
        List<ManagementEvent> second = harness.Flush();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Select(e => (e.Kind, e.Cause)), Is.EqualTo(new[] { (ManagementEventKind.Withdrawn, CancelCause.None), (ManagementEventKind.Cancelled, CancelCause.MarketClosed) }));
            Assert.That(second, Is.Empty);
            Assert.That(harness.Manager.IsClosed, Is.True);
        }
    }

    [Test]
    public void AClosedManagersSnapshotRestoresToTheSameBytesAndStaysClosed()
    {
        OrderManager manager = WithOrdersWaitingInAnInterruptedBatch(EveryKind());
        manager.Close(3);
        var closed = new ManagerHarness(manager);
        closed.ClearAndEvaluate(3, new OracleObservation(Oracle, 3));
        closed.Flush();

        byte[] snapshot = closed.Snapshot();
        var restored = new ManagerHarness(OrderManager.Restore(snapshot, manager.Settings, Domain));
        Instruction late = Limit(1, Side.Buy, 9_990, 5, nonce: 50);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(restored.Snapshot(), Is.EqualTo(snapshot));
            Assert.That(restored.Manager.IsClosed, Is.True);
            Assert.That(restored.Block(4, Oracle, [late]).Select(e => (e.Kind, e.Reason)), Is.EqualTo(new[] { (ManagementEventKind.Rejected, InstructionRejectReason.MarketClosed) }));
            Assert.That(closed.Block(4, Oracle, [late]).Select(e => (e.Kind, e.Reason)), Is.EqualTo(new[] { (ManagementEventKind.Rejected, InstructionRejectReason.MarketClosed) }));
            Assert.That(restored.Snapshot(), Is.EqualTo(closed.Snapshot()), "block after block");
        }
    }

    [Test]
    public void ASnapshotOfAClosedMarketWithLiveInstructionsIsRefused()
    {
        var harness = new ManagerHarness();
        harness.Block(1, Oracle, [Limit(1, Side.Buy, 9_990, 5)]);
        byte[] snapshot = harness.Snapshot();
        int closedFlag = 4 + 2 + 8 + 1 + 8 + 8; // magic, version, last block, has-oracle, oracle price and block
        Assert.That(snapshot[closedFlag], Is.Zero);
        snapshot[closedFlag] = 1;

        Assert.That(() => OrderManager.Restore(snapshot, harness.Manager.Settings, Domain), Throws.InstanceOf<InvalidDataException>());
    }

    /// <summary>
    /// For any scenario of every kind and any block to close in: the close cancels exactly the live instructions, in
    /// ascending id, each after its waiting orders' <see cref="ManagementEventKind.Withdrawn"/>; every later instruction
    /// is refused as <see cref="InstructionRejectReason.MarketClosed"/>, every later cancellation as
    /// <see cref="InstructionRejectReason.UnknownInstruction"/>, and nothing else is ever reported; a snapshot taken
    /// after the close restores to the same bytes and the same later events.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property ClosingAtAnyBlockEndsExactlyTheLiveInstructionsAndRefusesEverythingAfter() => Prop.ForAll(Arb.From(
        from seed in Gen.Choose(0, int.MaxValue)
        from cut in Gen.Choose(0, 29)
        select (seed, cut)), sample =>
    {
        CloseRun run = CloseRun.Play(sample.seed, sample.cut);
        return (run.Failure is null).Label($"seed {sample.seed}, cut {sample.cut}: {run.Failure}");
    });

    /// <summary>Guards the property above against vacuity: its closes withdraw waiting orders, cancel live instructions and refuse later ones.</summary>
    [Test]
    public void TheClosingRunsReachEveryRuleTheyCheck()
    {
        CloseRun[] runs = [.. Enumerable.Range(0, 30).Select(seed => CloseRun.Play(seed, 3 + (seed % 10)))];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(runs.Select(r => r.Failure), Is.All.Null);
            Assert.That(runs.Sum(r => r.Withdrawn), Is.GreaterThan(0));
            Assert.That(runs.Sum(r => r.Cancelled), Is.GreaterThan(runs.Length));
            Assert.That(runs.Sum(r => r.Refused), Is.GreaterThan(runs.Length));
            Assert.That(runs.Sum(r => r.CancellationsRefused), Is.GreaterThan(0));
        }
    }

    /// <summary>
    /// One scenario of every kind (<see cref="Scenario"/>) closed in block <c>cut + 1</c>, after that block's submissions
    /// and before its batch clears (as if the batch were interrupted), then run to its end beside a manager restored from a
    /// snapshot taken after the close.
    /// </summary>
    private sealed record CloseRun(string? Failure, int Withdrawn, int Cancelled, int Refused, int CancellationsRefused)
    {
        public static CloseRun Play(int seed, int cutAt)
        {
            Scenario scenario = Scenario.Generate(seed);
            int cut = Math.Min(cutAt, scenario.Blocks.Length - 1);
            var harness = new ManagerHarness();
            scenario.Run(harness, 0, cut);

            ScenarioBlock closing = scenario.Blocks[cut];
            harness.Manager.SubmitVerified(closing.Block, closing.Cancellations, closing.Instructions);
            harness.Flush();
            Hash32[] live = [.. scenario.ById.Keys.Where(harness.Manager.IsLive).Order()];
            ManagedOrder[] waiting = harness.Manager.PendingOrders.ToArray();
            harness.Manager.Close(closing.Block);
            List<ManagementEvent> closed = harness.Flush();
            var expected = live.SelectMany(id => waiting.Where(o => o.Instruction == id)
                .Select(o => (ManagementEventKind.Withdrawn, id, o.Role, o.Order.Id, CancelCause.None))
                .Append((ManagementEventKind.Cancelled, id, LegRole.Whole, 0UL, CancelCause.MarketClosed)));
            int withdrawn = closed.Count(e => e.Kind == ManagementEventKind.Withdrawn);
            if (!closed.Select(e => (e.Kind, e.Instruction, e.Role, e.OrderId, e.Cause)).SequenceEqual(expected) || harness.Manager.LiveInstructions != 0)
            {
                return new CloseRun($"the close gave {closed.Count} events for {live.Length} live instructions and {waiting.Length} waiting orders", 0, 0, 0, 0);
            }

            harness.ClearAndEvaluate(closing.Block, closing.Oracle is { } price ? new OracleObservation(price, closing.PublishedBlock) : null);
            if (harness.Flush().Count != 0)
            {
                return new CloseRun("the closing block's evaluation reported something", 0, 0, 0, 0);
            }

            byte[] snapshot = harness.Snapshot();
            var restored = new ManagerHarness(OrderManager.Restore(snapshot, harness.Manager.Settings, Domain));
            if (!restored.Snapshot().AsSpan().SequenceEqual(snapshot))
            {
                return new CloseRun("the restored snapshot differs", 0, 0, 0, 0);
            }

            List<ManagementEvent> after = scenario.Run(harness, cut + 1);
            List<ManagementEvent> afterRestore = scenario.Run(restored, cut + 1);
            int arrivals = scenario.Blocks.Skip(cut + 1).Sum(b => b.Instructions.Length);
            int cancellations = scenario.Blocks.Skip(cut + 1).Sum(b => b.Cancellations.Length);
            int refused = after.Count(e => e.Kind == ManagementEventKind.Rejected && e.Reason == InstructionRejectReason.MarketClosed);
            int cancellationsRefused = after.Count(e => e.Kind == ManagementEventKind.CancellationRejected && e.Reason == InstructionRejectReason.UnknownInstruction);
            string? failure = refused != arrivals || cancellationsRefused != cancellations || after.Count != arrivals + cancellations
                ? $"{after.Count} events after the close for {arrivals} arrivals and {cancellations} cancellations"
                : !after.SequenceEqual(afterRestore) || !restored.Snapshot().AsSpan().SequenceEqual(harness.Snapshot())
                    ? "the restored manager went another way"
                    : null;
            return new CloseRun(failure, withdrawn, live.Length, refused, cancellationsRefused);
        }
    }
}
