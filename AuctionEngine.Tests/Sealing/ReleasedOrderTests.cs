using System.Buffers;
using System.Security.Cryptography;
using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Management;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.SealedBatchScenario;

namespace AuctionEngine.Tests.Sealing;

/// <summary>
/// The order manager's released orders in a sealed batch: cleared with the revealed orders at one price, keyed from
/// the batch's randomness, listed with their instruction, and refused by settlement until the contract can settle them.
/// </summary>
[TestFixture]
public sealed class ReleasedOrderTests
{
    private static readonly TestTrader Bob = new(2);
    private static readonly Hash32 Randomness = new(SHA256.HashData("randomness"u8));

    /// <summary>A manager whose standing buy of 8 at 105 has released its order for batch <see cref="OpenBlock"/>.</summary>
    private static (ManagerHarness Manager, Instruction Instruction) ManagerWithARelease()
    {
        var harness = new ManagerHarness();
        Instruction limit = ManagerHarness.Limit(5, Side.Buy, 105, 8);
        harness.Block(OpenBlock - 1, 100, [limit]);
        Assert.That(harness.Manager.ReleasedOrders(OpenBlock).Length, Is.EqualTo(1));
        return (harness, limit);
    }

    [Test]
    public void ReleasedOrdersClearWithTheRevealedOnesAtOnePriceAndAreListedWithTheirInstruction()
    {
        (ManagerHarness manager, Instruction instruction) = ManagerWithARelease();
        SealedBatch batch = NewBatch();
        SealedOrder sell = Bob.Order(Side.Sell, 95, 6);
        batch.Commit(Bob.Address, CommitmentOf(sell, Salt(2)), Ample, OpenBlock);
        batch.Release(manager.Manager.ReleasedOrders(OpenBlock));
        CloseAndBeginReveal(batch);
        batch.Reveal(CommitmentOf(sell, Salt(2)), sell, Salt(2), Bob.Sign(sell), OpenBlock + 2);
        SealedBatchResult result = ClearAfterWindow(batch);

        ReleasedOrderOutcome released = result.Released.Single();
        ManagedOrder managed = manager.Manager.ReleasedOrders(OpenBlock)[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Clearing.Price, Is.EqualTo(105), "a bid surplus at every price from 95 to 105 takes the highest");
            Assert.That(released.Released.Instruction, Is.EqualTo(ManagerHarness.IdOf(instruction)));
            Assert.That(released.Fill.FilledQuantity, Is.EqualTo(6));
            Assert.That(result.Orders.Single().Fill.FilledQuantity, Is.EqualTo(6));
            Assert.That(released.Order.PriorityKey, Is.EqualTo(ManagedOrder.PriorityKey(managed.Instruction, managed.ReleaseSequence, Randomness)));
            Assert.That(released.Order.Id, Is.Not.EqualTo(result.Orders.Single().Order.Id), "released orders take ids after the opened ones");
            Assert.That((released.Order.Side, released.Order.LimitPrice, released.Order.Quantity), Is.EqualTo((Side.Buy, 105L, 8L)));
        }

        // The fills go straight back to the manager, which reports them and releases the remainder.
        manager.Manager.ApplyFills(OpenBlock, OpenBlock, [.. result.Released.Select(r => r.Fill)], result.Clearing.Price);
        ManagementEvent fill = manager.Flush().Single(e => e.Kind == ManagementEventKind.Fill);
        Assert.That((fill.Quantity, fill.Price), Is.EqualTo((6L, 105L)));
    }

    [Test]
    public void ABatchHoldingReleasedOrdersIsNotSettleableAndItsCalldataIsRefusedWithTheReason()
    {
        (ManagerHarness manager, _) = ManagerWithARelease();
        SealedBatch batch = NewBatch();
        batch.Release(manager.Manager.ReleasedOrders(OpenBlock)[0]);
        CloseAndBeginReveal(batch);
        SealedBatchResult result = ClearAfterWindow(batch);

        Assert.That((result.IsSettleable, result.NotSettleableBecause), Is.EqualTo((false, SettlementBlocker.HoldsReleasedOrders)));
        InvalidOperationException? refused = Assert.Throws<InvalidOperationException>(
            () => new SettlementCalldata().WriteSettle(new ArrayBufferWriter<byte>(), BatchId, result));
        Assert.That(refused!.Message, Does.Contain("released"));
    }

    [Test]
    public void ABatchWithoutReleasedOrdersSettlesThroughTheResultOverloadExactlyAsThroughItsParts()
    {
        SealedBatch batch = NewBatch();
        SealedOrder sell = Bob.Order(Side.Sell, 95, 6);
        batch.Commit(Bob.Address, CommitmentOf(sell, Salt(2)), Ample, OpenBlock);
        CloseAndBeginReveal(batch);
        batch.Reveal(CommitmentOf(sell, Salt(2)), sell, Salt(2), Bob.Sign(sell), OpenBlock + 2);
        SealedBatchResult result = ClearAfterWindow(batch);

        var whole = new ArrayBufferWriter<byte>();
        var parts = new ArrayBufferWriter<byte>();
        new SettlementCalldata().WriteSettle(whole, BatchId, result);
        new SettlementCalldata().WriteSettle(parts, BatchId, result.SettlementPrice, result.SettlementFills, result.Voids, result.BatchKey.Span);
        Assert.That((result.IsSettleable, result.NotSettleableBecause, result.Released.Count), Is.EqualTo((true, SettlementBlocker.None, 0)));
        Assert.That(whole.WrittenSpan.ToArray(), Is.EqualTo(parts.WrittenSpan.ToArray()));
    }

    [Test]
    public void ABatchNeedingAReferencePriceSaysSoBeforeItsReleasedOrders()
    {
        (ManagerHarness manager, _) = ManagerWithARelease();
        SealedBatch batch = NewBatch();
        SealedOrder sell = Bob.Order(Side.Sell, 95, 8); // no surplus anywhere from 95 to 105: Euronext needs a reference
        batch.Commit(Bob.Address, CommitmentOf(sell, Salt(2)), Ample, OpenBlock);
        batch.Release(manager.Manager.ReleasedOrders(OpenBlock));
        CloseAndBeginReveal(batch);
        batch.Reveal(CommitmentOf(sell, Salt(2)), sell, Salt(2), Bob.Sign(sell), OpenBlock + 2);
        SealedBatchResult result = ClearAfterWindow(batch, new ClearingOptions(PriceRule.Euronext));
        Assert.That((result.Clearing.Status, result.NotSettleableBecause), Is.EqualTo((ClearingStatus.ReferencePriceRequired, SettlementBlocker.ReferencePriceRequired)));
        Assert.That(batch.Phase, Is.EqualTo(BatchPhase.Revealing), "cleared again with a reference price, it then holds released orders");
        SealedBatchResult priced = batch.Clear(new ClearingEngine(64), new ClearingOptions(PriceRule.Euronext, ReferencePrice: 100), batch.RevealDeadline!.Value);
        Assert.That((priced.Clearing.Price, priced.NotSettleableBecause), Is.EqualTo(((long?)100, SettlementBlocker.HoldsReleasedOrders)));
    }

    [Test]
    public void AnOrderForAnotherBatchOrAfterClearingIsRefused()
    {
        (ManagerHarness manager, _) = ManagerWithARelease();
        ManagedOrder order = manager.Manager.ReleasedOrders(OpenBlock)[0];
        SealedBatch batch = NewBatch();
        Assert.Throws<ArgumentException>(() => batch.Release(order with { Batch = OpenBlock + 1 }));
        Assert.Throws<ArgumentException>(() => batch.Release([order, order with { Batch = OpenBlock - 1 }]));
        Assert.That(batch.ReleasedCount, Is.Zero, "a span with one order for another batch adds none");
        CloseAndBeginReveal(batch);
        batch.Release(order);
        ClearAfterWindow(batch);
        Assert.Throws<BatchPhaseException>(() => batch.Release(order));
    }
}
