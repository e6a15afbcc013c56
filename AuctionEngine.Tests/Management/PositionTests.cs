using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Signing;
using NUnit.Framework;

namespace AuctionEngine.Tests.Management;

/// <summary><see cref="OrderManager.UpdatePosition"/>: protective legs become reduce-only, resize on a partial close, end on a full one.</summary>
[TestFixture]
public sealed class PositionTests
{
    private static readonly Instruction StopSellTen = ManagerHarness.Stop(1, Side.Sell, StopKind.StopLoss, trigger: 90, quantity: 10);

    [Test]
    public void WithoutAPositionAStopReleasesItsWholeQuantity()
    {
        var harness = new ManagerHarness();
        harness.Block(1, 100, [StopSellTen]);

        Assert.That(harness.Block(2, 90).OfKind(ManagementEventKind.Released).Single().Quantity, Is.EqualTo(10));
        Assert.That(harness.Manager.GetPosition(ManagerHarness.Trader(1)), Is.Null);
    }

    [TestCase(11, 10)]
    [TestCase(10, 10)]
    [TestCase(9, 9)]
    [TestCase(1, 1)]
    public void AStopReleasesAtMostTheLongItProtects(long position, long released)
    {
        var harness = new ManagerHarness();
        harness.Block(1, 100, [StopSellTen]);
        harness.Manager.UpdatePosition(2, ManagerHarness.Trader(1), position);

        Assert.That(harness.Block(2, 90).OfKind(ManagementEventKind.Released).Single().Quantity, Is.EqualTo(released));
    }

    [TestCase(-1)]
    [TestCase(-10)]
    public void AStopSellReleasesNothingWhileThePositionIsShort(long position)
    {
        var harness = new ManagerHarness();
        harness.Block(1, 100, [StopSellTen]);
        harness.Manager.UpdatePosition(2, ManagerHarness.Trader(1), position);

        List<ManagementEvent> events = harness.Block(2, 90);

        Assert.That(events.OfKind(ManagementEventKind.Triggered), Is.Not.Empty);
        Assert.That(events.OfKind(ManagementEventKind.Released), Is.Empty);
        Assert.That(harness.Manager.IsLive(ManagerHarness.IdOf(StopSellTen)), Is.True);
    }

    [Test]
    public void APartialCloseKeepsEveryStopAndAFullCloseCancelsThemAll()
    {
        var harness = new ManagerHarness();
        Instruction second = ManagerHarness.Stop(1, Side.Sell, StopKind.StopLoss, trigger: 80, quantity: 10, nonce: 1);
        Instruction otherTrader = ManagerHarness.Stop(2, Side.Sell, StopKind.StopLoss, trigger: 80, quantity: 10);
        harness.Block(1, 100, [StopSellTen, second, otherTrader]);
        harness.Manager.UpdatePosition(2, ManagerHarness.Trader(1), 10);
        harness.Manager.UpdatePosition(2, ManagerHarness.Trader(2), 10);

        harness.Manager.UpdatePosition(2, ManagerHarness.Trader(1), 1);
        List<ManagementEvent> partial = harness.Flush();
        harness.Manager.UpdatePosition(2, ManagerHarness.Trader(1), 0);
        List<ManagementEvent> closed = harness.Flush();

        Assert.That(partial, Is.Empty);
        Assert.That(closed.Select(e => (e.Kind, e.Cause)), Is.All.EqualTo((ManagementEventKind.Cancelled, CancelCause.PositionClosed)));
        Assert.That(closed.Select(e => e.Instruction), Is.EquivalentTo(new[] { ManagerHarness.IdOf(StopSellTen), ManagerHarness.IdOf(second) }));
        Assert.That(closed.Select(e => e.Instruction), Is.Ordered);
        Assert.That(harness.Manager.IsLive(ManagerHarness.IdOf(otherTrader)), Is.True);
    }

    [Test]
    public void ABracketWhoseEntryCanStillFillKeepsItsExitsWhenFlat()
    {
        var harness = new ManagerHarness();
        Instruction bracket = ManagerHarness.Bracket(1, InstructionLeg.Limit(Side.Buy, 100, 10), takeProfit: 120, stopLoss: 80);
        harness.Block(1, 100, [bracket]);
        harness.Manager.UpdatePosition(2, ManagerHarness.Trader(1), 5);

        harness.Manager.UpdatePosition(2, ManagerHarness.Trader(1), 0);

        Assert.That(harness.Flush(), Is.Empty);
        Assert.That(harness.Manager.IsLive(ManagerHarness.IdOf(bracket)), Is.True);
    }

    [Test]
    public void APositionCannotBeStatedForAnEvaluatedBlock()
    {
        var harness = new ManagerHarness();
        harness.Block(1, 100);

        Assert.That(() => harness.Manager.UpdatePosition(1, ManagerHarness.Trader(1), 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(harness.Manager.GetPosition(ManagerHarness.Trader(1)), Is.Null);
    }
}
