using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Demo;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;

namespace AuctionEngine.Cli.Output;

/// <summary>Writes a human-readable account of clearing a demo batch.</summary>
internal static class DemoSummaryWriter
{
    public static void Write(TextWriter output, DemoBatch batch, int seed, ClearingOptions options, ClearingResult result, int threads, TimeSpan coldTime, TimeSpan warmTime)
    {
        BookTotals book = BookTotals.Of(batch.Orders);
        int orderCount = batch.Orders.Length;

        output.WriteLine($"Demo batch: {Prose.Count(orderCount, "order")} from seed {seed}, drawn from {Prose.Count(batch.TraderCount, "trader")}, mid price {batch.MidPrice:N0} ticks");
        output.WriteLine("  prices are in ticks and quantities in lots, the market's units (here both are one atom)");
        output.WriteLine($"  rule             {PriceRuleNames.NameOf(options.Rule)} (reference price {options.ReferencePrice:N0} ticks, the mid)");
        output.WriteLine($"  orders           {Prose.Count(book.Buys, "buy")} ({book.MarketBuys:N0} market), {Prose.Count(book.Sells, "sell")} ({book.MarketSells:N0} market)");
        if (result.RejectedCount > 0)
        {
            output.WriteLine($"  rejected         {Prose.Count(result.RejectedCount, "order")}");
        }

        output.WriteLine($"  best bid / ask   {PriceOrDash(result.BestBid)} / {PriceOrDash(result.BestAsk)}");
        if (result.Cleared)
        {
            output.WriteLine($"  clearing price   {result.Price:N0} ticks");
            output.WriteLine($"  volume           {Prose.Count(result.Volume, "lot")}");
            output.WriteLine($"  surplus          {SurplusText(result)}");
            output.WriteLine($"  fill ratio       buys {Percent((double)result.Volume, (double)book.BuyLots)} of {Prose.Count(book.BuyLots, "lot")}, sells {Percent((double)result.Volume, (double)book.SellLots)} of {Prose.Count(book.SellLots, "lot")}");
            output.WriteLine($"  orders traded    {result.FilledCount:N0} of {orderCount:N0} ({Percent(result.FilledCount, orderCount)})");
            output.WriteLine($"  rationed         {Prose.Count(result.RationedCount, "order")} shared the marginal price level");
        }
        else
        {
            output.WriteLine($"  no trade         {NoTradeText(result.Status)}");
        }

        string onThreads = threads == 1 ? "one thread" : $"up to {Prose.Count(threads, "thread")}";
        output.WriteLine($"  time to clear    {Timing(coldTime, orderCount)}: first call, paying for JIT compilation and fresh memory ({onThreads})");
        output.WriteLine($"                   {Timing(warmTime, orderCount)}: the same batch again on the same engine");
    }

    private static string Timing(TimeSpan elapsed, int orderCount)
    {
        double seconds = elapsed.TotalSeconds;
        string throughput = seconds > 0 ? $" ({orderCount / seconds:N0} orders/s)" : "";
        return $"{elapsed.TotalMilliseconds:F2} ms{throughput}";
    }

    internal static string PriceOrDash(long? price) => price is long p ? $"{p:N0}" : "-";

    internal static string SurplusText(ClearingResult result) => result.SurplusSide switch
    {
        SurplusSide.Bid => $"{Prose.Count(result.Surplus, "lot")} of demand unmet (buyers rationed)",
        SurplusSide.Ask => $"{Prose.Count(result.Surplus, "lot")} of supply unmet (sellers rationed)",
        _ => "none: demand and supply balance",
    };

    internal static string NoTradeText(ClearingStatus status) => status == ClearingStatus.NothingExecutable
        ? "nothing is executable: the book is one-sided or does not cross"
        : $"{status}";

    internal static string Percent(double part, double whole) => whole > 0 ? $"{part / whole * 100:F1}%" : "-";

    /// <summary>Counts and lots offered per side.</summary>
    private readonly record struct BookTotals(int Buys, int MarketBuys, UInt128 BuyLots, int Sells, int MarketSells, UInt128 SellLots)
    {
        public static BookTotals Of(ReadOnlySpan<Order> orders)
        {
            int buys = 0, marketBuys = 0, sells = 0, marketSells = 0;
            UInt128 buyLots = UInt128.Zero, sellLots = UInt128.Zero;
            foreach (ref readonly Order order in orders)
            {
                int market = order.IsMarket ? 1 : 0;
                if (order.Side == Side.Buy)
                {
                    buys++;
                    marketBuys += market;
                    buyLots += (ulong)order.Quantity;
                }
                else
                {
                    sells++;
                    marketSells += market;
                    sellLots += (ulong)order.Quantity;
                }
            }

            return new BookTotals(buys, marketBuys, buyLots, sells, marketSells, sellLots);
        }
    }
}
