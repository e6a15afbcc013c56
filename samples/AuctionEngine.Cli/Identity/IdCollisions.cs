using AuctionEngine.Cli.Clear;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;

namespace AuctionEngine.Cli.Identity;

/// <summary>
/// Tells a hash collision from a repeated id. The engine rejects every order whose engine id another order shares;
/// engine ids are 64-bit hashes, so two distinct id strings can share one. Only the orders the engine rejected as
/// duplicates are looked at, and only their id bytes decide: equal strings stay duplicates, distinct strings get
/// distinct engine ids and the batch is cleared again.
/// </summary>
internal static class IdCollisions
{
    // Suspects this close together are read back in one run, gap included, rather than one read each.
    private const int LargestGap = 64;

    /// <summary>
    /// Gives every distinct id string among the duplicates an engine id of its own, the same for every row order: in
    /// each group of equal hashes the strings are ranked by their bytes, the least keeps the hash, and each other
    /// takes the first of its hashes with seed 1, 2, … that no order in the book has.
    /// </summary>
    /// <param name="orders">The book; orders that need a new engine id are rewritten in place.</param>
    /// <param name="fills">The engine's fills for <paramref name="orders"/>.</param>
    /// <param name="ids">The orders' id text.</param>
    /// <param name="hash">The id hash the book was read with.</param>
    /// <returns>Whether any order got a new engine id, so the batch must be cleared again.</returns>
    public static bool Separate(Span<Order> orders, ReadOnlySpan<Fill> fills, IOrderIds ids, OrderIdHash hash)
    {
        var suspects = new List<int>();
        for (int i = 0; i < fills.Length; i++)
        {
            if (fills[i].Rejection == RejectReason.DuplicateId)
            {
                suspects.Add(i);
            }
        }

        if (suspects.Count == 0)
        {
            return false;
        }

        byte[][] text = ReadIds(suspects, ids);
        var members = new (ulong Id, byte[] Text, int Index)[suspects.Count];
        for (int k = 0; k < suspects.Count; k++)
        {
            members[k] = (orders[suspects[k]].Id, text[k], suspects[k]);
        }

        Array.Sort(members, static (a, b) =>
        {
            int byId = a.Id.CompareTo(b.Id);
            return byId != 0 ? byId : a.Text.AsSpan().SequenceCompareTo(b.Text);
        });

        HashSet<ulong>? taken = null;
        bool changed = false;
        for (int k = 1; k < members.Length; k++)
        {
            // Within a group of equal hashes, a string that differs from the one before it starts a new class.
            if (members[k].Id != members[k - 1].Id || members[k].Text.AsSpan().SequenceEqual(members[k - 1].Text))
            {
                continue;
            }

            taken ??= AllIds(orders);
            ulong fresh = FreshId(members[k].Text, hash, taken);
            for (int j = k; j < members.Length && members[j].Id == members[k].Id && members[j].Text.AsSpan().SequenceEqual(members[k].Text); j++)
            {
                Order old = orders[members[j].Index];
                orders[members[j].Index] = new Order(fresh, old.Trader, old.Side, old.Type, old.LimitPrice, old.Quantity, old.PriorityKey);
            }

            changed = true;
        }

        return changed;
    }

    private static ulong FreshId(byte[] text, OrderIdHash hash, HashSet<ulong> taken)
    {
        for (long seed = 1; ; seed++)
        {
            ulong candidate = OrderIdentity.FromHash(hash(text, seed)).Id;
            if (taken.Add(candidate))
            {
                return candidate;
            }
        }
    }

    private static HashSet<ulong> AllIds(ReadOnlySpan<Order> orders)
    {
        var taken = new HashSet<ulong>(orders.Length);
        foreach (Order order in orders)
        {
            taken.Add(order.Id);
        }

        return taken;
    }

    /// <summary>The ids of <paramref name="suspects"/> (ascending indices), reading nearby ones together.</summary>
    private static byte[][] ReadIds(List<int> suspects, IOrderIds ids)
    {
        var text = new byte[suspects.Count][];
        var batch = new IdBatch();
        int k = 0;
        while (k < suspects.Count)
        {
            int runEnd = k;
            while (runEnd + 1 < suspects.Count && suspects[runEnd + 1] - suspects[runEnd] <= LargestGap)
            {
                runEnd++;
            }

            ids.Read(suspects[k], suspects[runEnd] - suspects[k] + 1, batch);
            for (; k <= runEnd; k++)
            {
                text[k] = batch[suspects[k]].ToArray();
            }
        }

        return text;
    }
}
