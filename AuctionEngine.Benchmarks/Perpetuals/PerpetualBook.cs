using System.Buffers.Binary;
using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;

namespace AuctionEngine.Benchmarks.Perpetuals;

/// <summary>Engines with a million accounts for the perpetual benchmarks, built the way a venue would fill them.</summary>
public static class PerpetualBook
{
    /// <summary>The price every position opened at, in ticks (a tick is one quote atom per lot).</summary>
    public const long EntryPrice = 10_000;

    /// <summary>Lots in every position: 100,000 quote atoms of notional at the entry price.</summary>
    public const long Lots = 10;

    public static PerpetualMarket Market()
    {
        var market = new Market(Account(-1), Account(-2), lotSize: 1, tickSize: 1, maxPrice: 1_000_000_000, maxOrderQuantity: 1_000_000_000);
        return new PerpetualMarket(market, initialMarginPpm: 100_000, maintenanceMarginPpm: 50_000, maxPosition: 1_000_000, feePpm: 0,
            fundingIntervalBlocks: 1, fundingCapPpm: 5_000, bankruptcyAdjustmentPpm: 1_000_000, spreadToMaintenanceMarginRatioPpm: 1_500_000,
            maxLiquidationFeePpm: 15_000, minPositionNotionalLiquidated: 50_000, maxPositionPortionLiquidatedPpm: 300_000);
    }

    public static Address Account(int number)
    {
        Span<byte> bytes = stackalloc byte[Address.Length];
        bytes.Clear();
        BinaryPrimitives.WriteInt32BigEndian(bytes[16..], number);
        return new Address(bytes);
    }

    /// <summary>
    /// <paramref name="accounts"/> accounts, even ones long and odd ones short <see cref="Lots"/> lots in each of
    /// <paramref name="markets"/> markets, each with 50,000 quote atoms of collateral per market (a 20% margin), except
    /// the first <paramref name="thin"/> longs, which hold 5,500 per market: liquidatable once the oracle falls 1%.
    /// </summary>
    public static PerpetualEngine Build(int accounts, int markets, int thin)
    {
        var engine = new PerpetualEngine([.. Enumerable.Range(0, markets).Select(_ => Market())], accounts);
        engine.DepositInsuranceFund(1_000_000_000);
        var addresses = new Address[accounts];
        for (int i = 0; i < accounts; i++)
        {
            addresses[i] = Account(i);
            bool isThin = i % 2 == 0 && i / 2 < thin;
            engine.Deposit(addresses[i], (UInt128)(markets * (isThin ? 5_500 : 50_000)));
        }

        engine.UpdateOracle([.. Enumerable.Repeat(EntryPrice, markets)]);
        var orders = new Order[accounts];
        var fills = new Fill[accounts];
        for (int i = 0; i < accounts; i++)
        {
            orders[i] = Order.Limit((ulong)i, addresses[i], i % 2 == 0 ? Side.Buy : Side.Sell, EntryPrice, Lots, 0);
            fills[i] = new Fill(Lots, (UInt128)(Lots * EntryPrice), RejectReason.None);
        }

        for (int m = 0; m < markets; m++)
        {
            engine.ApplyFills(m, EntryPrice, orders, fills);
        }

        engine.EndBlock();
        return engine;
    }
}
