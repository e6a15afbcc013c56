using AuctionEngine.Orders;
using AuctionEngine.Tests.Management;
using AuctionEngine.Venue;
using NUnit.Framework;
using static AuctionEngine.Tests.Venue.VenueHarness;

namespace AuctionEngine.Tests.Venue;

/// <summary>Once warm, a venue's block allocates nothing: clearing, interruptions, the extended batch and a source included.</summary>
[TestFixture]
public sealed class VenueAllocationTests
{
    [Test]
    public void ABlockAllocatesNothingOnceWarmThroughInterruptionsAndExtensions()
    {
        var harness = new VenueHarness(new CircuitBreakerSettings(100, 1_000, 2));
        Order[] quiet = CrossAt(1_000);
        Order[] jump = CrossAt(1_100);
        var sourceOrders = new[] { Buy(1_000, 2), Sell(1_000, 2) };
        harness.Venue.AddSource(new FixedSource(sourceOrders));
        harness.Block(1, 1_000, quiet, [ManagerHarness.Limit(3, Side.Buy, 990, 1_000_000), ManagerHarness.Trailing(4, Side.Sell, AuctionEngine.Management.StopKind.StopLoss, 500, 5)]);

        // A cycle of four blocks: a clearing, an interruption (1,100 is 10 % from the last price 1,000, inside 10 % of the oracle 1,050), a block waiting, the extended batch.
        void Cycle(long first)
        {
            Run(first, quiet);
            Run(first + 1, jump);
            Run(first + 2, quiet);
            Run(first + 3, quiet);
        }

        void Run(long block, Order[] orders) => harness.Venue.ProcessVerifiedBlock(
            block, new AuctionEngine.Management.OracleObservation(1_050, block), [], [], orders, default, default);

        for (long block = 2; block < 42; block += 4)
        {
            Cycle(block);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long block = 42; block < 242; block += 4)
        {
            Cycle(block);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
        Assert.That(harness.Venue.LastClearingPrice, Is.Not.Null);
    }

    [Test]
    public void TheWarmCycleDoesInterruptAndClearTheExtendedBatch()
    {
        var harness = new VenueHarness(new CircuitBreakerSettings(100, 1_000, 2));
        harness.Block(1, 1_050, CrossAt(1_000));
        Assert.That(harness.Block(2, 1_050, CrossAt(1_100)).OfKind(VenueEventKind.Interrupted).Count(), Is.EqualTo(1));
        harness.Block(3, 1_050, CrossAt(1_000));
        Assert.That(harness.Block(4, 1_050, CrossAt(1_000)).OfKind(VenueEventKind.Cleared).Single().FirstBatch, Is.EqualTo(2));
    }

    private sealed class FixedSource(Order[] orders) : IBatchOrderSource
    {
        public void ListOrders(long batch, BatchOrderSink sink)
        {
            foreach (Order order in orders)
            {
                sink.Add(order);
            }
        }

        public void OnOrderDone(long block, long batch, in Order order, in AuctionEngine.Clearing.Fill fill, long? clearingPrice)
        {
        }
    }
}
