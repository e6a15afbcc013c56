using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Signing;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static AuctionEngine.Tests.Management.ManagerHarness;

namespace AuctionEngine.Tests.Management;

/// <summary>
/// Withdrawing many pending orders at once (an index from leg to pending order, compacted once per step), and
/// forgetting the ids of finished instructions whose expiry has passed, which a replay could no longer re-arm anyway.
/// </summary>
[TestFixture]
public sealed class ReplayAndWithdrawalTests
{
    private static readonly Arbitrary<(int Expiry, int FinishBlock, int ReplayDelay)> ExpiryCases = Arb.From(
        from expiry in Gen.Choose(1, 30)
        from finish in Gen.Choose(2, expiry + 2) // after the expiry: it expires on its own instead
        from delay in Gen.Choose(1, 6)
        select (expiry, finish, delay));

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property AReplayIsRefusedAtAnyBlockAndItsIdIsForgottenOnlyOnceItsExpiryHasPassed() => Prop.ForAll(ExpiryCases, c =>
    {
        var harness = new ManagerHarness();
        Instruction limit = Limit(1, Side.Buy, 1_000, 5, expiry: c.Expiry);
        harness.Block(1, null, [limit]);
        long finished = c.FinishBlock <= c.Expiry ? c.FinishBlock : c.Expiry + 1;
        for (long block = 2; block < finished; block++)
        {
            harness.Block(block, null);
        }

        List<ManagementEvent> finishing = c.FinishBlock <= c.Expiry ? harness.Block(finished, null, cancellations: [Cancel(1, limit)]) : harness.Block(finished, null);
        bool ended = finishing.Any(e => e.Kind is ManagementEventKind.Cancelled or ManagementEventKind.Expired && e.Instruction == IdOf(limit));

        // Remembered exactly while a replay could still arrive before the expiry block ends.
        bool rememberedAsExpected = harness.Manager.RemembersId(IdOf(limit)) == (finished < c.Expiry);
        long replayBlock = finished + c.ReplayDelay;
        for (long block = finished + 1; block < replayBlock; block++)
        {
            harness.Block(block, null);
        }

        InstructionRejectReason expected = replayBlock <= c.Expiry ? InstructionRejectReason.DuplicateInstruction : InstructionRejectReason.ExpiredOnArrival;
        List<ManagementEvent> replay = harness.Block(replayBlock, null, [limit]);
        return ended && rememberedAsExpected && replay.OfKind(ManagementEventKind.Rejected).Single().Reason == expected &&
            !replay.OfKind(ManagementEventKind.Accepted).Any() && harness.Manager.LiveInstructions == 0;
    });

    [Test]
    public void AnInstructionWithoutExpiryIsRememberedForever()
    {
        var harness = new ManagerHarness();
        Instruction limit = Limit(1, Side.Buy, 1_000, 5);
        harness.Block(1, null, [limit]);
        harness.Block(2, null, cancellations: [Cancel(1, limit)]);
        harness.Block(1_000_000, null);
        List<ManagementEvent> replay = harness.Block(1_000_001, null, [limit]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(harness.Manager.RemembersId(IdOf(limit)), Is.True);
            Assert.That(replay.OfKind(ManagementEventKind.Rejected).Single().Reason, Is.EqualTo(InstructionRejectReason.DuplicateInstruction));
        }
    }

    [Test]
    public void ARestoredManagerForgetsAnExpiredIdWhenTheOriginalDoes()
    {
        // Finished before its expiry (block 10), snapshotted while still remembered: the restored manager must forget
        // it after block 10 too, or the two would write different snapshots from then on.
        var original = new ManagerHarness();
        Instruction limit = Limit(1, Side.Buy, 1_000, 5, expiry: 10);
        original.Block(1, null, [limit]);
        original.Block(2, null, cancellations: [Cancel(1, limit)]);
        var restored = new ManagerHarness(OrderManager.Restore(original.Snapshot(), original.Manager.Settings, Domain));
        for (long block = 3; block <= 11; block++)
        {
            original.Block(block, null);
            restored.Block(block, null);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(restored.Manager.RemembersId(IdOf(limit)), Is.False);
            Assert.That(restored.Snapshot(), Is.EqualTo(original.Snapshot()));
        }
    }

    private static readonly Arbitrary<(int Count, int Seed)> CancellationCases = Arb.From(
        from count in Gen.Choose(1, 3_000)
        from seed in Gen.Choose(0, int.MaxValue)
        select (count, seed));

    [FsCheck.NUnit.Property(MaxTest = 20)]
    public Property CancellingAnySubsetWithdrawsExactlyItsOrdersAndKeepsTheOthersInOrder() => Prop.ForAll(CancellationCases, c =>
    {
        var harness = new ManagerHarness(maxInstructions: 3_000, maxReleasesPerBatch: 3_000, maxPerTrader: 3_000, maxReleasesPerTrader: 3_000)
        {
            FillRule = static (_, order) => order.Order.Quantity,
        };
        Instruction[] limits = [.. Enumerable.Range(0, c.Count).Select(i => Limit(1, Side.Buy, 1_000 + i, 5, nonce: i))];
        harness.Block(1, null, limits); // released into batch 2
        ManagedOrder[] pending = harness.Manager.PendingOrders.ToArray();
        var random = new Random(c.Seed);
        Instruction[] cancelled = [.. limits.Where(_ => random.Next(2) == 0)];
        var cancelledIds = cancelled.Select(IdOf).ToHashSet();

        harness.Manager.SubmitVerified(2, [.. cancelled.Select(l => Cancel(1, l))], []);
        ManagedOrder[] kept = harness.Manager.PendingOrders.ToArray();
        List<ManagementEvent> submitted = harness.Flush();
        harness.ClearAndEvaluate(2, null);
        List<ManagementEvent> cleared = harness.Flush();

        // Each cancellation, in ascending id, withdraws its order and then reports the cancellation.
        var expectedKinds = cancelledIds.Order().SelectMany(id => new[] { (ManagementEventKind.Withdrawn, id), (ManagementEventKind.Cancelled, id) });
        bool events = submitted.Select(e => (e.Kind, e.Instruction)).SequenceEqual(expectedKinds);
        bool keptInOrder = kept.SequenceEqual(pending.Where(o => !cancelledIds.Contains(o.Instruction)));
        bool filled = cleared.Where(e => e.Kind == ManagementEventKind.Fill).Select(e => e.OrderId).SequenceEqual(kept.Select(o => o.Order.Id));
        return events && keptInOrder && filled && harness.Manager.LiveInstructions == 0 && harness.Manager.PendingOrders.IsEmpty;
    });
}
