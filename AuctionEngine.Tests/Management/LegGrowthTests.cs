using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Signing;
using NUnit.Framework;
using static AuctionEngine.Tests.Management.ManagerHarness;

namespace AuctionEngine.Tests.Management;

/// <summary>
/// Leg storage starts at the instruction capacity and grows: brackets (three legs) and OCOs (two) filling a manager to
/// its capacity must be accepted, armed and released like any other.
/// </summary>
[TestFixture]
public sealed class LegGrowthTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    public void AManagerFullOfBracketsAndOcosGrowsItsLegsAndKeepsThemArmed(int capacity)
    {
        var harness = new ManagerHarness(maxInstructions: capacity, maxReleasesPerBatch: 64, maxPerTrader: capacity, maxReleasesPerTrader: 64);
        Instruction[] instructions = [.. Enumerable.Range(0, capacity).Select(i => i % 2 == 0
            ? Bracket(1, InstructionLeg.Limit(Side.Buy, 900, 5), 1_100, 800, nonce: i)
            : Oco(1, InstructionLeg.Limit(Side.Sell, 1_200, 3), InstructionLeg.Stop(Side.Sell, StopKind.StopLoss, 850, 3), nonce: i))];
        List<ManagementEvent> events = harness.Block(1, 1_000, instructions);
        Assert.That(events.OfKind(ManagementEventKind.Accepted).Count(), Is.EqualTo(capacity));
        Assert.That(events.OfKind(ManagementEventKind.Released).Count(), Is.EqualTo(capacity), "each bracket's entry and each OCO's limit leg");

        // Every bracket's entry fills, so its exits arm; the oracle then falls through every stop-loss.
        harness.FillRule = static (_, order) => order.Role == LegRole.Entry ? order.Order.Quantity : 0;
        harness.Block(2, 1_000);
        List<ManagementEvent> fall = harness.Block(3, 790);
        Assert.That(fall.OfKind(ManagementEventKind.Triggered).Count(), Is.EqualTo(capacity), "every bracket's stop-loss and every OCO's stop");
    }
}
