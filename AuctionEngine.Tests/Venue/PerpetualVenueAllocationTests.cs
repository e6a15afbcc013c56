using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Tests.Management;
using AuctionEngine.Venue;
using NUnit.Framework;

namespace AuctionEngine.Tests.Venue;

/// <summary>Once warm, a perpetual venue's block allocates nothing: admission, reduce-only cuts, fills, positions, funding.</summary>
[TestFixture]
public sealed class PerpetualVenueAllocationTests
{
    [Test]
    public void ABlockAllocatesNothingOnceWarm()
    {
        var harness = new PerpetualVenueHarness(fundingIntervalBlocks: 3);
        harness.Deposit(1, 1_000_000);
        harness.Deposit(2, 1_000_000);
        harness.Deposit(3, 10);
        harness.Block(1, 1_000, instructions: [ManagerHarness.Limit(1, Side.Buy, 990, 1_000_000)]);

        // Trader 1 opens and trims, trader 2 takes the other side, trader 3 is refused for margin and the trim is cut down.
        PerpetualOrder[] open = [PerpetualVenueHarness.Buy(1, 1_000, 5), PerpetualVenueHarness.Sell(2, 1_000, 5), PerpetualVenueHarness.Buy(3, 1_000, 50)];
        PerpetualOrder[] trim = [PerpetualVenueHarness.Sell(1, 1_000, 1_000, reduceOnly: true), PerpetualVenueHarness.Buy(2, 1_000, 3)];
        void Run(long block, PerpetualOrder[] orders) => harness.Venue.ProcessVerifiedBlock(
            block, new OracleObservation(block % 2 == 0 ? 1_000 : 1_010, block), [], [], orders, default, default);

        for (long block = 2; block < 40; block += 2)
        {
            Run(block, open);
            Run(block + 1, trim);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long block = 40; block < 240; block += 2)
        {
            Run(block, open);
            Run(block + 1, trim);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
        Assert.That(harness.Venue.Events.ToArray().Any(e => e.Kind == PerpetualVenueEventKind.Reduced), Is.True, "the warm cycle cuts a reduce-only order");
        Assert.That(harness.Position(1), Is.GreaterThan(0));
    }
}
