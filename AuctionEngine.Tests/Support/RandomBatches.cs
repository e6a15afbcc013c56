using AuctionEngine.Orders;

namespace AuctionEngine.Tests.Support;

/// <summary>
/// Large deterministic batches for the allocation and scale tests, where generating through FsCheck would be slow
/// and a fixed seed keeps each run identical.
/// </summary>
internal static class RandomBatches
{
    /// <summary>Limit prices in <c>[lowestPrice, lowestPrice + width)</c>; one order in ten at market.</summary>
    public static Order[] NarrowBand(int count, int seed, long lowestPrice = 1_000, int width = 50) =>
        Generate(count, seed, random => lowestPrice + random.Next(width));

    /// <summary>
    /// Limit prices an attacker might pick to defeat a histogram: anywhere in the 63-bit range, with a cluster just
    /// below its top, so the engine must sort. (The top price itself is covered by its own tests.)
    /// </summary>
    public static Order[] WidePrices(int count, int seed) =>
        Generate(count, seed, random => random.Next(4) == 0 ? long.MaxValue - 1 - random.Next(100) : random.NextInt64(1, long.MaxValue));

    /// <summary>Limit prices drawn from <paramref name="pool"/>.</summary>
    public static Order[] FromPool(int count, int seed, long[] pool) =>
        Generate(count, seed, random => pool[random.Next(pool.Length)]);

    /// <summary>
    /// Ids whose hashes in the engine's id filter (SplitMix64's finaliser, a bijection) are 1, 2, 3, ... shifted past
    /// the low eighteen bits: all set the same three bits of the filter's first word whatever its size, which is
    /// what an attacker grinding ids would aim for.
    /// </summary>
    public static ulong[] CollidingIds(int count) => [.. Enumerable.Range(1, count).Select(k => UnMix((ulong)k << 18))];

    /// <summary>The same orders with the ids of <see cref="CollidingIds"/>, in order.</summary>
    public static Order[] WithCollidingIds(Order[] batch) => [.. batch.Zip(CollidingIds(batch.Length), (order, id) => order.WithId(id))];

    /// <summary>The same orders, the first <paramref name="copies"/> ids also given to the last <paramref name="copies"/> orders.</summary>
    public static Order[] WithRepeatedIds(Order[] batch, int copies) =>
        [.. batch.Select((order, i) => i >= batch.Length - copies ? order.WithId(batch[i - (batch.Length - copies)].Id) : order)];

    private static Order[] Generate(int count, int seed, Func<Random, long> limitPrice)
    {
        var random = new Random(seed);
        var orders = new Order[count];
        for (int i = 0; i < count; i++)
        {
            Side side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
            OrderType type = random.Next(10) == 0 ? OrderType.Market : OrderType.Limit;
            orders[i] = new Order((ulong)i + 1, Build.Trader(i % 100), side, type, limitPrice(random), random.Next(1, 51), (ulong)random.NextInt64());
        }

        return orders;
    }

    /// <summary>The inverse of x → (x ^ x >> 30) × C1 → (… ^ … >> 27) × C2 → … ^ … >> 31.</summary>
    private static ulong UnMix(ulong hash)
    {
        ulong x = UnXorShift(hash, 31) * Inverse(0x94D049BB133111EBUL);
        x = UnXorShift(x, 27) * Inverse(0xBF58476D1CE4E5B9UL);
        return UnXorShift(x, 30);
    }

    /// <summary>Undoes y = x ^ (x >> s): x = y ^ (y >> s) ^ (y >> 2s) ^ …</summary>
    private static ulong UnXorShift(ulong y, int shift)
    {
        ulong x = y;
        for (int k = shift; k < 64; k += shift)
        {
            x ^= y >> k;
        }

        return x;
    }

    /// <summary>The multiplicative inverse of an odd number modulo 2^64, by Newton's iteration (each step doubles the correct bits).</summary>
    private static ulong Inverse(ulong odd)
    {
        ulong inverse = odd; // Correct to 3 bits: odd × odd ≡ 1 (mod 8).
        for (int i = 0; i < 5; i++)
        {
            inverse *= 2 - (odd * inverse);
        }

        return inverse;
    }
}
