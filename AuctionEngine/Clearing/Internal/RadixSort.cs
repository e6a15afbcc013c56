using System.Diagnostics;

namespace AuctionEngine.Clearing.Internal;

/// <summary>A 64-bit key with a 64-bit payload, the unit <see cref="RadixSort"/> orders.</summary>
internal struct KeyedValue
{
    public ulong Key;
    public long Value;

    public KeyedValue(ulong key, long value)
    {
        Key = key;
        Value = value;
    }
}

/// <summary>
/// Least-significant-digit radix sort of <see cref="KeyedValue"/> records by key, stable, in O(n) per 11-bit digit.
/// </summary>
/// <remarks>
/// Chosen over a comparison sort because its cost is bounded by the key width, not by how the keys are spread:
/// an attacker who places orders at absurd prices cannot push it past its worst case. Digits on which every key
/// agrees are skipped, so keys confined to a narrow range (a tight band of prices, consecutive ids) cost fewer
/// passes. Only the histograms live on the stack; the caller owns both record buffers.
/// </remarks>
internal static class RadixSort
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;
    private const int DigitCount = (64 + DigitBits - 1) / DigitBits;

    /// <summary>
    /// Below this many records, clearing and summing the digit histograms (12,288 counters) would cost more than the
    /// sort itself: a few duplicate-id suspects, or a few orders outside the histogram's window, are common.
    /// </summary>
    private const int InsertionSortLimit = 64;

    /// <summary>Sorts <paramref name="records"/> by key, using <paramref name="scratch"/> (at least as long) as the second buffer.</summary>
    /// <returns>The buffer that holds the sorted records: a prefix of either <paramref name="records"/> or <paramref name="scratch"/>.</returns>
    public static Span<KeyedValue> Sort(Span<KeyedValue> records, Span<KeyedValue> scratch)
    {
        Debug.Assert(scratch.Length >= records.Length);
        int n = records.Length;
        scratch = scratch[..n];
        if (n <= InsertionSortLimit)
        {
            InsertionSort(records);
            return records;
        }

        Span<int> counts = stackalloc int[DigitCount * Buckets];
        counts.Clear();
        foreach (ref readonly KeyedValue record in records)
        {
            ulong key = record.Key;
            for (int d = 0; d < DigitCount; d++)
            {
                counts[(d * Buckets) + (int)((key >> (d * DigitBits)) & (Buckets - 1))]++;
            }
        }

        Span<KeyedValue> source = records;
        Span<KeyedValue> destination = scratch;
        for (int d = 0; d < DigitCount; d++)
        {
            Span<int> digitCounts = counts.Slice(d * Buckets, Buckets);
            int shift = d * DigitBits;
            if (digitCounts[(int)((source[0].Key >> shift) & (Buckets - 1))] == n)
            {
                continue; // Every key has the same digit here: the pass would not move anything.
            }

            int offset = 0;
            for (int b = 0; b < Buckets; b++)
            {
                int count = digitCounts[b];
                digitCounts[b] = offset;
                offset += count;
            }

            foreach (ref readonly KeyedValue record in source)
            {
                int bucket = (int)((record.Key >> shift) & (Buckets - 1));
                destination[digitCounts[bucket]++] = record;
            }

            Span<KeyedValue> swap = source;
            source = destination;
            destination = swap;
        }

        return source;
    }

    /// <summary>A stable sort for a handful of records, in place.</summary>
    private static void InsertionSort(Span<KeyedValue> records)
    {
        for (int i = 1; i < records.Length; i++)
        {
            KeyedValue record = records[i];
            int j = i - 1;
            while (j >= 0 && records[j].Key > record.Key)
            {
                records[j + 1] = records[j];
                j--;
            }

            records[j + 1] = record;
        }
    }
}
