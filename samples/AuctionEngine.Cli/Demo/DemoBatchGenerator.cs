using System.Globalization;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Identity;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Cli.Demo;

/// <summary>
/// Draws a plausible batch from a seed: the same seed and size always give the same orders.
/// </summary>
/// <remarks>
/// Limit prices are normally distributed around a mid price, buys centred a little below it and sells a little above,
/// with enough spread that the two sides overlap widely and the batch crosses. Quantities are log-normal: mostly a
/// handful of lots, with a long tail of large orders. Randomness is fine here: determinism matters in the engine,
/// and this is only its input.
/// </remarks>
internal static class DemoBatchGenerator
{
    private const long CentralMidPrice = 100_000;
    private const int MidPriceWander = 1_000;
    private const int TraderCount = 300;
    private const double MarketOrderShare = 0.05;
    private const double SideOffsetTicks = 100;
    private const double PriceSpreadTicks = 300;
    private const double LogQuantityMean = 2.3; // a median order of about 10 lots
    private const double LogQuantitySpread = 1.2; // and about 1 in 100 orders above 160 lots
    private const long MaxQuantity = 1_000_000;

    /// <summary>Orders between two progress reports: often enough to look live, rarely enough to cost nothing.</summary>
    private const int ProgressStep = 1 << 16;

    /// <summary>Generates <paramref name="count"/> orders from <paramref name="seed"/>.</summary>
    /// <param name="count">The batch size; positive.</param>
    /// <param name="seed">The seed for <see cref="Random"/>.</param>
    /// <param name="progress">Advanced by the number of orders generated, in steps.</param>
    public static DemoBatch Generate(int count, int seed, IPhase progress)
    {
        var random = new Random(seed);
        long midPrice = CentralMidPrice + random.Next(-MidPriceWander, MidPriceWander + 1);
        Address[] traders = CreateTraders(random);

        var orders = new Order[count];
        for (int i = 0; i < count; i++)
        {
            orders[i] = NextOrder(random, i, midPrice, traders);
            if ((i + 1) % ProgressStep == 0)
            {
                progress.Advance(ProgressStep);
            }
        }

        progress.Advance(count % ProgressStep);
        return new DemoBatch(orders, midPrice, traders.Length);
    }

    private static Address[] CreateTraders(Random random)
    {
        var traders = new Address[TraderCount];
        Span<byte> bytes = stackalloc byte[Address.Length];
        for (int i = 0; i < traders.Length; i++)
        {
            random.NextBytes(bytes);
            traders[i] = new Address(bytes);
        }

        return traders;
    }

    private static Order NextOrder(Random random, int index, long midPrice, Address[] traders)
    {
        OrderIdentity identity = OrderIdentity.FromName(string.Create(CultureInfo.InvariantCulture, $"demo-{index}"));
        Address trader = traders[random.Next(traders.Length)];
        Side side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
        long quantity = Math.Clamp((long)Math.Round(Math.Exp(LogQuantityMean + (LogQuantitySpread * NextStandardNormal(random)))), 1, MaxQuantity);

        if (random.NextDouble() < MarketOrderShare)
        {
            return Order.Market(identity.Id, trader, side, quantity, identity.PriorityKey);
        }

        double centre = side == Side.Buy ? midPrice - SideOffsetTicks : midPrice + SideOffsetTicks;
        long limitPrice = Math.Max(1, (long)Math.Round(centre + (PriceSpreadTicks * NextStandardNormal(random))));
        return Order.Limit(identity.Id, trader, side, limitPrice, quantity, identity.PriorityKey);
    }

    /// <summary>A standard normal draw by the Box–Muller transform.</summary>
    internal static double NextStandardNormal(Random random)
    {
        double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())); // 1 − u lies in (0, 1], so the log is finite.
        return radius * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
