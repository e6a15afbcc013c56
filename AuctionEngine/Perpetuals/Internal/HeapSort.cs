namespace AuctionEngine.Perpetuals.Internal;

/// <summary>
/// An in-place heap sort with a struct comparer. <c>Span.Sort(comparer)</c> wraps the comparer in a delegate on every
/// call (88 bytes); this allocates nothing, which keeps a warm block at 0 B. Not stable: every comparer it is given is a
/// total order (its last key is unique).
/// </summary>
internal static class HeapSort
{
    public static void Sort<T, TComparer>(Span<T> items, TComparer comparer)
        where TComparer : struct, IComparer<T>
    {
        for (int start = (items.Length / 2) - 1; start >= 0; start--)
        {
            SiftDown(items, start, items.Length, comparer);
        }

        for (int end = items.Length - 1; end > 0; end--)
        {
            (items[0], items[end]) = (items[end], items[0]);
            SiftDown(items, 0, end, comparer);
        }
    }

    private static void SiftDown<T, TComparer>(Span<T> items, int root, int length, TComparer comparer)
        where TComparer : struct, IComparer<T>
    {
        while (true)
        {
            int child = (2 * root) + 1;
            if (child >= length)
            {
                return;
            }

            if (child + 1 < length && comparer.Compare(items[child + 1], items[child]) > 0)
            {
                child++;
            }

            if (comparer.Compare(items[child], items[root]) <= 0)
            {
                return;
            }

            (items[root], items[child]) = (items[child], items[root]);
            root = child;
        }
    }
}
