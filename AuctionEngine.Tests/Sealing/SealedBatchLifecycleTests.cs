using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.SealedBatchScenario;

namespace AuctionEngine.Tests.Sealing;

/// <summary>Commit-reveal batches: every phase transition, and every way a commitment or reveal is refused.</summary>
[TestFixture]
public sealed class SealedBatchLifecycleTests
{
    private static readonly TestTrader Alice = new(1);
    private static readonly TestTrader Bob = new(2);
    private static readonly TestTrader Carol = new(3);

    [Test]
    public void CommittedOrdersAreRevealedAndClearedAtOnePrice()
    {
        SealedBatch batch = NewBatch();
        SealedOrder buy = Alice.Order(Side.Buy, 105, 10);
        SealedOrder sell = Bob.Order(Side.Sell, 95, 6);
        SealedOrder unrevealed = Carol.Order(Side.Sell, 90, 4);
        Assert.That(batch.Commit(Alice.Address, CommitmentOf(buy, Salt(1)), Ample, OpenBlock), Is.EqualTo(SealRejectReason.None));
        Assert.That(batch.Commit(Bob.Address, CommitmentOf(sell, Salt(2)), Ample, OpenBlock), Is.EqualTo(SealRejectReason.None));
        Assert.That(batch.Commit(Carol.Address, CommitmentOf(unrevealed, Salt(3)), Ample, OpenBlock), Is.EqualTo(SealRejectReason.None));

        CloseAndBeginReveal(batch);
        Assert.That(batch.Reveal(CommitmentOf(buy, Salt(1)), buy, Salt(1), Alice.Sign(buy), OpenBlock + 2), Is.EqualTo(SealRejectReason.None));
        Assert.That(batch.Reveal(CommitmentOf(sell, Salt(2)), sell, Salt(2), Bob.Sign(sell), OpenBlock + 2), Is.EqualTo(SealRejectReason.None));
        SealedBatchResult result = ClearAfterWindow(batch);
        batch.MarkSettled();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Clearing.Status, Is.EqualTo(ClearingStatus.Cleared));
            Assert.That(result.Clearing.Price, Is.EqualTo(105), "a bid surplus at every price from 95 to 105 takes the highest");
            Assert.That(result.Orders.Select(o => o.SignedOrder), Is.EquivalentTo(new[] { buy, sell }));
            Assert.That(result.Orders.Select(o => o.Fill.FilledQuantity), Is.All.EqualTo(6));
            Assert.That(result.Forfeited, Is.EqualTo(new[] { new SealRejection(Carol.Address, CommitmentOf(unrevealed, Salt(3)), SealRejectReason.Unrevealed) }));
            Assert.That(result.Voids, Is.EqualTo(result.Forfeited), "every commitment is accounted for: two opened, one void");
            Assert.That(result.SettlementFills.Select(f => f.Lots), Is.EqualTo(result.Orders.Select(o => o.Fill.FilledQuantity)));
            Assert.That(batch.Phase, Is.EqualTo(BatchPhase.Settled));
        }
    }

    [Test]
    public void EachOperationOutsideItsPhaseIsRefusedWithThePhases()
    {
        SealedBatch batch = NewBatch();
        SealedOrder order = Alice.Order(Side.Buy, 100, 1);
        var engine = new ClearingEngine(4);

        BatchPhaseException? early = Assert.Throws<BatchPhaseException>(() => batch.Reveal(default, order, default, new byte[65], OpenBlock));
        Assert.That((early!.Required, early.Actual), Is.EqualTo((BatchPhase.Revealing, BatchPhase.Collecting)));
        Assert.Throws<BatchPhaseException>(() => batch.BeginReveal(OpenBlock + 1, default));
        Assert.Throws<BatchPhaseException>(() => batch.Clear(engine, default, OpenBlock + 1));
        Assert.Throws<BatchPhaseException>(batch.MarkSettled);

        batch.Close(OpenBlock + 1);
        Assert.Throws<BatchPhaseException>(() => batch.Close(OpenBlock + 2));
        Assert.Throws<BatchPhaseException>(() => batch.Clear(engine, default, OpenBlock + 2));

        batch.BeginReveal(OpenBlock + 1, default);
        Assert.Throws<BatchPhaseException>(() => batch.BeginReveal(OpenBlock + 2, default));
        batch.Clear(engine, default, OpenBlock + 1); // Nothing was committed, so nothing is pending.
        Assert.Throws<BatchPhaseException>(() => batch.Clear(engine, default, OpenBlock + 9));
        Assert.That(batch.Phase, Is.EqualTo(BatchPhase.Cleared));
    }

    [Test]
    public void BlocksOutsideTheBatchAreRefused()
    {
        SealedBatch batch = NewBatch();
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Commit(Alice.Address, Salt(1), Ample, OpenBlock - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Close(OpenBlock));
        Assert.That(batch.Phase, Is.EqualTo(BatchPhase.Collecting));
    }

    [Test]
    public void CommitmentsAreRefusedOneByOneWithTheirReason()
    {
        SealedBatch batch = NewBatch(Settings(maxOrders: 3, maxPerTrader: 2, maxCiphertextBytes: 10));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(batch.Commit(Alice.Address, Salt(1), Ample, OpenBlock), Is.EqualTo(SealRejectReason.None));
            Assert.That(batch.Commit(Alice.Address, Salt(1), Ample, OpenBlock), Is.EqualTo(SealRejectReason.DuplicateCommitment));
            Assert.That(batch.Commit(Alice.Address, Salt(2), Ample, OpenBlock), Is.EqualTo(SealRejectReason.None));
            Assert.That(batch.Commit(Alice.Address, Salt(3), Ample, OpenBlock), Is.EqualTo(SealRejectReason.TraderLimitReached));
            Assert.That(batch.SubmitEncrypted(Bob.Address, Salt(8), new byte[11], Ample, OpenBlock), Is.EqualTo(SealRejectReason.CiphertextTooLarge));
            Assert.That(batch.Commit(Bob.Address, Salt(4), Ample, OpenBlock + 1), Is.EqualTo(SealRejectReason.LateCommitment));
            Assert.That(batch.Commit(Bob.Address, Salt(5), Ample, OpenBlock), Is.EqualTo(SealRejectReason.None));
            Assert.That(batch.Commit(Carol.Address, Salt(6), Ample, OpenBlock), Is.EqualTo(SealRejectReason.BatchFull));
            Assert.That(batch.Count, Is.EqualTo(3));
        }

        batch.Close(OpenBlock + 1);
        Assert.That(batch.Commit(Carol.Address, Salt(7), Ample, OpenBlock), Is.EqualTo(SealRejectReason.LateCommitment), "closed, whatever block the host claims");
    }

    [Test]
    public void RevealsAreRefusedOneByOneWithTheirReason()
    {
        SealedBatch batch = NewBatch();
        SealedOrder alices = Alice.Order(Side.Buy, 100, 5);
        SealedOrder bobsOtherBatch = Bob.Order(Side.Sell, 100, 5, batchId: BatchId + 1);
        SealedOrder carols = Carol.Order(Side.Sell, 100, 5);
        Hash32 alicesCommitment = CommitmentOf(alices, Salt(1));
        Hash32 bobsCommitment = CommitmentOf(bobsOtherBatch, Salt(2));
        Hash32 carolsCommitment = CommitmentOf(carols, Salt(3));
        Hash32 committedByBob = CommitmentOf(alices, Salt(4));
        batch.Commit(Alice.Address, alicesCommitment, Ample, OpenBlock);
        batch.Commit(Bob.Address, bobsCommitment, Ample, OpenBlock);
        batch.Commit(Carol.Address, carolsCommitment, Ample, OpenBlock);
        batch.Commit(Bob.Address, committedByBob, Ample, OpenBlock);
        CloseAndBeginReveal(batch);
        long during = OpenBlock + 1;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(batch.Reveal(Salt(9), alices, Salt(1), Alice.Sign(alices), during), Is.EqualTo(SealRejectReason.UnknownCommitment));
            Assert.That(batch.Reveal(alicesCommitment, alices, Salt(2), Alice.Sign(alices), during), Is.EqualTo(SealRejectReason.RevealMismatch));
            Assert.That(batch.Reveal(alicesCommitment, alices, Salt(1), new byte[65], during), Is.EqualTo(SealRejectReason.BadSignature));
            Assert.That(batch.Reveal(alicesCommitment, alices, Salt(1), Bob.Sign(alices), during), Is.EqualTo(SealRejectReason.SignerNotTrader));
            Assert.That(batch.Reveal(bobsCommitment, bobsOtherBatch, Salt(2), Bob.Sign(bobsOtherBatch), during), Is.EqualTo(SealRejectReason.WrongBatch));
            Assert.That(batch.Reveal(committedByBob, alices, Salt(4), Alice.Sign(alices), during), Is.EqualTo(SealRejectReason.UnknownCommitment), "Bob's commitment is Bob's; Alice's order cannot open it");
            Assert.That(batch.Reveal(alicesCommitment, alices, Salt(1), Alice.Sign(alices), during), Is.EqualTo(SealRejectReason.None), "refused reveals leave the commitment open");
            Assert.That(batch.Reveal(alicesCommitment, alices, Salt(1), Alice.Sign(alices), during), Is.EqualTo(SealRejectReason.AlreadyRevealed));
            Assert.That(batch.Reveal(carolsCommitment, carols, Salt(3), Carol.Sign(carols), batch.RevealDeadline!.Value), Is.EqualTo(SealRejectReason.RevealWindowClosed));
        }
    }

    [Test]
    public void ClearingWaitsForTheRevealWindowWhileCommitmentsAreOpen()
    {
        SealedBatch batch = NewBatch();
        SealedOrder order = Alice.Order(Side.Buy, 100, 5);
        batch.Commit(Alice.Address, CommitmentOf(order, Salt(1)), Ample, OpenBlock);
        CloseAndBeginReveal(batch);

        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Clear(new ClearingEngine(4), default, batch.RevealDeadline!.Value - 1));
        batch.Reveal(CommitmentOf(order, Salt(1)), order, Salt(1), Alice.Sign(order), OpenBlock + 1);
        SealedBatchResult result = batch.Clear(new ClearingEngine(4), default, OpenBlock + 1);

        Assert.That(result.Clearing.Status, Is.EqualTo(ClearingStatus.NothingExecutable), "every commitment is resolved, so the window need not run out");
    }

    [Test]
    public void ArrivalOrderOfCommitmentsAndRevealsChangesNothing()
    {
        TestTrader[] traders = [.. Enumerable.Range(10, 12).Select(n => new TestTrader(n))];
        SealedOrder[] orders = [.. traders.Select((t, i) => t.Order(i % 2 == 0 ? Side.Buy : Side.Sell, 100 + (i % 5) - 2, 3 + (i % 4)))];

        SealedBatchResult Run(IEnumerable<int> commitOrder, IEnumerable<int> revealOrder)
        {
            SealedBatch batch = NewBatch();
            foreach (int i in commitOrder)
            {
                batch.Commit(traders[i].Address, CommitmentOf(orders[i], Salt(i)), Ample, OpenBlock);
            }

            CloseAndBeginReveal(batch);
            foreach (int i in revealOrder)
            {
                batch.Reveal(CommitmentOf(orders[i], Salt(i)), orders[i], Salt(i), traders[i].Sign(orders[i]), OpenBlock + 1);
            }

            return ClearAfterWindow(batch);
        }

        int[] forward = [.. Enumerable.Range(0, orders.Length)];
        SealedBatchResult first = Run(forward, forward);
        SealedBatchResult second = Run(Enumerable.Reverse(forward), [.. forward.Where(i => i % 2 == 1), .. forward.Where(i => i % 2 == 0)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Clearing.Status, Is.EqualTo(ClearingStatus.Cleared));
            Assert.That(second.Clearing, Is.EqualTo(first.Clearing));
            Assert.That(second.Orders, Is.EqualTo(first.Orders));
        }
    }
}
