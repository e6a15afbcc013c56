using AuctionEngine.Clearing;
using AuctionEngine.Options;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>
/// Once warm, a whole block with option series (oracle, volatilities, risk arrays rebuilt, portfolio margin, scan,
/// admission of series and perpetual orders, fills in a series and the perpetual) allocates nothing on the managed heap.
/// </summary>
[TestFixture]
public sealed class OptionSeriesAllocationTests
{
    [Test]
    public void AWarmBlockWithOptionsAllocatesNothing()
    {
        const int Accounts = 60;
        PerpetualEngine engine = OptionSetup.Engine();
        int[] series =
        [
            engine.ListSeries(OptionSetup.Series(OptionType.Call, 10_000, expiryBlock: 1_000)),
            engine.ListSeries(OptionSetup.Series(OptionType.Put, 9_000, expiryBlock: 1_000, contractSize: 2)),
            engine.ListSeries(OptionSetup.Series(OptionType.Call, 12_000, expiryBlock: 1_000)),
        ];
        Address[] traders = [.. Enumerable.Range(1, Accounts).Select(Build.Trader)];
        foreach (Address trader in traders)
        {
            engine.Deposit(trader, 1_000_000_000);
        }

        double[] volatilities = [0.5, 0.6, 0.7];
        long[] oracle = [OptionSetup.Oracle];
        engine.UpdateOracle(oracle);
        engine.UpdateVolatilities(1, OptionSetup.Timestamp, volatilities);
        for (int i = 0; i + 1 < Accounts; i += 2)
        {
            OptionSetup.Trade(engine, series[i % 3], 1, 500, traders[i], traders[i + 1], 1 + (i % 7));
            OptionSetup.Trade(engine, 0, 10, OptionSetup.Oracle, traders[i + 1], traders[i], 1 + (i % 5));
        }

        var submitted = new PerpetualOrder[Accounts];
        var admissions = new OrderAdmission[Accounts];
        var batch = new Order[2];
        var fills = new Fill[2];
        void Block(int block)
        {
            oracle[0] = block % 2 == 0 ? 9_800 : 10_200;
            volatilities[block % 3] = block % 2 == 0 ? 0.55 : 0.65;
            engine.UpdateOracle(oracle);
            engine.UpdateVolatilities(block, OptionSetup.Timestamp + (block * 12), volatilities);
            engine.ScanLiquidations();
            for (int i = 0; i < Accounts; i++)
            {
                int market = i % 4 == 0 ? 0 : series[i % 3];
                long price = market == 0 ? oracle[0] : 400 + i;
                submitted[i] = new PerpetualOrder(market, Order.Limit((ulong)((block * Accounts) + i + 1), traders[i], i % 2 == 0 ? Side.Buy : Side.Sell, price, 1, 0), ReduceOnly: i % 5 == 0);
            }

            engine.Admit(submitted, admissions);
            for (int m = 0; m < 2; m++)
            {
                int market = m == 0 ? 0 : series[block % 3];
                long price = m == 0 ? oracle[0] : 450;
                Side side = block % 2 == 0 ? Side.Buy : Side.Sell;
                batch[0] = Order.Limit(1, traders[2 + m], side, price, 1, 0);
                batch[1] = Order.Limit(2, traders[4 + m], side == Side.Buy ? Side.Sell : Side.Buy, price, 1, 0);
                UInt128 quote = (ulong)price * (m == 0 ? 10u : 1u);
                fills[0] = new Fill(1, quote, RejectReason.None);
                fills[1] = new Fill(1, quote, RejectReason.None);
                engine.ApplyFills(market, price, batch, fills);
            }

            engine.EndBlock();
        }

        for (int block = 2; block < 8; block++)
        {
            Block(block);
        }

        Assert.That(admissions.Count(a => a.IsAdmitted && a.Status == AdmissionStatus.Admitted), Is.GreaterThan(10), "the blocks admit series orders");
        Assert.That(engine.HasOptionPositions(traders[2]), Is.True);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int block = 8; block < 18; block++)
        {
            Block(block);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
