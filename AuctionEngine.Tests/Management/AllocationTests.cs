using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using NUnit.Framework;
using static AuctionEngine.Tests.Management.ManagerHarness;

namespace AuctionEngine.Tests.Management;

/// <summary>Once warm, a block allocates nothing: neither the venue's steps nor <see cref="OrderManager.ProcessBlock"/>.</summary>
[TestFixture]
public sealed class AllocationTests
{
    [Test]
    public void TheBlockStepsAllocateNothingOnceWarm()
    {
        OrderManager manager = Warm(out long block);
        var fills = new Fill[1_000];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++, block++)
        {
            manager.ClearEvents();
            manager.Submit(block, [], []);
            int released = manager.ReleasedOrders(block).Length;
            manager.ApplyFills(block, block, fills.AsSpan(0, released), 1_000);
            manager.Evaluate(block, new OracleObservation(1_000 + (i % 7), block), default);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(manager.Events.ToArray().Count(e => e.Kind == ManagementEventKind.Released), Is.EqualTo(100), "the standing limits release every block");
        }
    }

    [Test]
    public void ProcessBlockAllocatesNothingOnceWarm()
    {
        OrderManager manager = Warm(out long block);
        using var engine = new ClearingEngine(1_024);
        Order[] orders = [Order.Limit(1, Trader(9), Side.Sell, 900, 3, 0)];
        var fills = new Fill[1];
        for (int i = 0; i < 5; i++, block++)
        {
            manager.ProcessBlock(block, new OracleObservation(1_000, block), [], [], engine, orders, fills, default);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++, block++)
        {
            manager.ProcessBlock(block, new OracleObservation(1_000 + (i % 7), block), [], [], engine, orders, fills, default);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void HedgesAndQuotesAllocateNothingOnceWarm()
    {
        var harness = new ManagerHarness(maxInstructions: 1_000, maxReleasesPerBatch: 1_000, maxPerTrader: 1_000, maxReleasesPerTrader: 1_000);
        var instructions = new List<Instruction>();
        for (int n = 0; n < 100; n++)
        {
            instructions.Add(Quote(4 + (n % 3), 2, halfSpreadBps: 50, vegaBps: 10, vegaUnit: 1_000, deltaBps: 5, deltaUnit: 10, maxPosition: 50, nonce: n));
            instructions.Add(Hedge(4 + (n % 3), n % 5, n % 3, 10, nonce: n));
        }

        harness.Block(1, 1_000, instructions);
        OrderManager manager = harness.Manager;
        var fills = new Fill[1_000];
        Address[] traders = [Trader(4), Trader(5), Trader(6)]; // deriving an address from a key allocates
        long block = 2;
        void Step(int i)
        {
            manager.ClearEvents();
            manager.Submit(block, [], []);
            int released = manager.ReleasedOrders(block).Length;
            manager.ApplyFills(block, block, fills.AsSpan(0, released), 1_000);
            foreach (Address trader in traders)
            {
                manager.UpdateExposure(block, trader, (i % 40) - 20, 1_000 * (i % 9));
                manager.UpdatePosition(block, trader, (i % 7) - 3);
            }

            manager.Evaluate(block, new OracleObservation(1_000 + (i % 7), block), default);
            block++;
        }

        for (int i = 0; i < 20; i++)
        {
            Step(i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            Step(i);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero);
            ManagementEvent[] released = [.. manager.Events.ToArray().Where(e => e.Kind == ManagementEventKind.Released)];
            Assert.That(released.Count(e => e.Role is LegRole.Bid or LegRole.Ask), Is.EqualTo(200), "every quote posts a pair every block");
            Assert.That(released.Count(e => e.Role == LegRole.Hedge), Is.GreaterThan(0));
        }
    }

    /// <summary>A manager with trailing stops tracking, stops far from the oracle and standing limits that never fill.</summary>
    private static OrderManager Warm(out long block)
    {
        var harness = new ManagerHarness(maxInstructions: 1_000, maxReleasesPerBatch: 1_000, maxPerTrader: 1_000, maxReleasesPerTrader: 1_000);
        var instructions = new List<Instruction>();
        for (int n = 0; n < 200; n++)
        {
            instructions.Add(Trailing(1, n % 2 == 0 ? Side.Sell : Side.Buy, StopKind.StopLoss, 5_000, 1, nonce: n));
            instructions.Add(Stop(2, n % 2 == 0 ? Side.Sell : Side.Buy, StopKind.StopLoss, n % 2 == 0 ? 10 : 100_000, 1, nonce: n));
        }

        for (int n = 0; n < 100; n++)
        {
            instructions.Add(Limit(3, Side.Buy, 10, 5, nonce: n));
        }

        harness.Block(1, 1_000, instructions);
        for (block = 2; block < 20; block++)
        {
            harness.Block(block, 1_000 + (block % 7));
        }

        return harness.Manager;
    }
}
