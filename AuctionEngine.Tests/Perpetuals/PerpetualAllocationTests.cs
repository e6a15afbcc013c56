using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Perpetuals.PerpetualSetup;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>
/// Once warm, a whole block (oracle, scan with liquidations, admission, fills in two markets, funding, the index
/// merging every changed account) allocates nothing on the managed heap.
/// </summary>
[TestFixture]
public sealed class PerpetualAllocationTests
{
    [TestCase(0, TestName = "The index merging every block")]
    [TestCase(4_096, TestName = "The changed accounts waiting in their list")]
    public void AWarmBlockAllocatesNothing(int mergeAfter)
    {
        const int Accounts = 200;
        var engine = new PerpetualEngine([Perpetual(fundingIntervalBlocks: 1), Perpetual(fundingIntervalBlocks: 1)]) { MinimumDirtyBeforeMerge = mergeAfter };
        engine.DepositInsuranceFund(1_000_000_000_000);
        engine.UpdateOracle([5_000_000, 300_000]);
        Address[] traders = [.. Enumerable.Range(1, Accounts).Select(Build.Trader)];
        for (int i = 0; i < Accounts; i++)
        {
            // Every tenth account (long 10 BTC lots, 5 × 10^8 atoms, and maybe 20 ETH lots, 6 × 10^7) holds a TNC of
            // 6 × 10^7, a little above its 10% maintenance: the oracles falling 5% liquidate it.
            long ether = i % 3 == 0 ? 0 : 20;
            Open(engine, traders[i], [i % 2 == 0 ? 10 : -10, ether], i % 10 == 0 ? 60_000_000 - 500_000_000 - (ether * 3_000_000) : 10_000_000_000);
        }

        long[] low = [4_750_000, 285_000];
        long[] high = [5_000_000, 300_000];
        var submitted = new PerpetualOrder[Accounts];
        var admissions = new OrderAdmission[Accounts];
        var batch = new Order[2];
        var fills = new Fill[2];
        int liquidations = 0;
        void Block(int block)
        {
            long[] oracle = block % 2 == 0 ? low : high;
            engine.UpdateOracle(oracle);
            liquidations += engine.ScanLiquidations().Length;
            for (int i = 0; i < Accounts; i++)
            {
                submitted[i] = new PerpetualOrder(i % 2, Order.Limit((ulong)((block * Accounts) + i + 1), traders[i], i % 2 == 0 ? Side.Buy : Side.Sell, oracle[i % 2], 1, 0), ReduceOnly: i % 5 == 0);
            }

            engine.Admit(submitted, admissions);
            for (int m = 0; m < 2; m++)
            {
                // Two accounts trade a lot between them, back and forth from block to block.
                Side side = block % 2 == 0 ? Side.Buy : Side.Sell;
                batch[0] = Order.Limit(1, traders[2 + m], side, oracle[m], 1, 0);
                batch[1] = Order.Limit(2, traders[4 + m], side == Side.Buy ? Side.Sell : Side.Buy, oracle[m] + 1, 1, 0);
                UInt128 quote = (ulong)(oracle[m] + 1) * engine.GetMarket(m).TickSize;
                fills[0] = new Fill(1, quote, RejectReason.None);
                fills[1] = new Fill(1, quote, RejectReason.None);
                engine.ApplyFills(m, oracle[m] + 1, batch, fills);
            }

            engine.EndBlock();
        }

        for (int block = 0; block < 6; block++)
        {
            Block(block);
        }

        Assert.That(liquidations, Is.GreaterThan(0), "the blocks liquidate");
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int block = 6; block < 16; block++)
        {
            Block(block);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
