using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Benchmarks.Clearing;

/// <summary>Seeded batches for the clearing benchmarks: the same seed always gives the same orders.</summary>
public static class BatchGenerator
{
    private const long MidPrice = 100_000;
    private const int NarrowHalfWidth = 500;

    /// <summary>Generates <paramref name="count"/> orders with unique random ids and priority keys.</summary>
    public static Order[] Generate(int count, PriceDistribution distribution, int seed)
    {
        var random = new Random(seed);
        var traders = new Address[256];
        Span<byte> bytes = stackalloc byte[Address.Length];
        for (int t = 0; t < traders.Length; t++)
        {
            random.NextBytes(bytes);
            traders[t] = new Address(bytes);
        }

        var orders = new Order[count];
        var ids = new HashSet<ulong>(count);
        for (int i = 0; i < count; i++)
        {
            ulong id;
            do
            {
                id = (ulong)random.NextInt64();
            }
            while (!ids.Add(id));

            Side side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
            long quantity = 1 + (long)(100 * Math.Pow(random.NextDouble(), 3)); // Many small orders, a few large.
            Address trader = traders[random.Next(traders.Length)];
            ulong priority = (ulong)random.NextInt64();
            if (random.Next(20) == 0)
            {
                orders[i] = Order.Market(id, trader, side, quantity, priority);
                continue;
            }

            long price = distribution switch
            {
                PriceDistribution.Narrow => NarrowPrice(random, side),
                _ => 1 + random.NextInt64(long.MaxValue / 2),
            };
            orders[i] = Order.Limit(id, trader, side, price, quantity, priority);
        }

        return orders;
    }

    /// <summary>
    /// Issue 10's books: <paramref name="count"/> limit orders, exactly half of them buys, in shuffled order, with limits
    /// uniform over <see cref="PriceDistribution.UniformNarrow"/>'s or <see cref="PriceDistribution.UniformWide"/>'s
    /// range, quantities uniform over 1..1,000, unique random ids and random priority keys.
    /// </summary>
    public static Order[] GenerateUniform(int count, PriceDistribution distribution, int seed)
    {
        (long low, long high) = distribution switch
        {
            PriceDistribution.UniformNarrow => (9_000L, 11_000L),
            PriceDistribution.UniformWide => (1L, 2_000_000_000L),
            _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "Not one of issue 10's books."),
        };

        var random = new Random(seed);
        var ids = new HashSet<ulong>(count);
        var orders = new Order[count];
        for (int i = 0; i < count; i++)
        {
            ulong id;
            do
            {
                id = (ulong)random.NextInt64();
            }
            while (!ids.Add(id));

            Side side = i < count / 2 ? Side.Buy : Side.Sell;
            orders[i] = Order.Limit(id, Address.Zero, side, random.NextInt64(low, high + 1), random.Next(1, 1_001), (ulong)random.NextInt64());
        }

        random.Shuffle(orders);
        return orders;
    }

    /// <summary>Buys centred a little below the mid, sells a little above, with a triangular spread so they cross.</summary>
    private static long NarrowPrice(Random random, Side side)
    {
        long offset = random.Next(-NarrowHalfWidth, NarrowHalfWidth + 1) / 2 + random.Next(-NarrowHalfWidth, NarrowHalfWidth + 1) / 2;
        return side == Side.Buy ? MidPrice - 20 + offset : MidPrice + 20 + offset;
    }
}
