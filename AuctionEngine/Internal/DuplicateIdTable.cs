using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace AuctionEngine.Internal;

/// <summary>
/// Finds order ids that occur more than once in a batch, in one pass, with a table sized once for the engine's
/// capacity and never cleared (entries from earlier batches are told apart by an epoch stamp).
/// </summary>
/// <remarks>
/// Open addressing with linear probing at a load factor of at most one half. Ids may be chosen by traders, so an
/// adversary could aim many ids at one slot; when the probes of a batch exceed a small multiple of its size the
/// table reports <see cref="IsDegraded"/> and the caller falls back to a sort-based check whose cost no input can
/// inflate. The result never depends on which path ran.
/// </remarks>
internal sealed class DuplicateIdTable
{
    private const int ProbeBudgetPerId = 8;

    private readonly Entry[] _entries;
    private readonly int _shift;
    private int _epoch;
    private long _probeBudget;

    public DuplicateIdTable(int capacity)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 2 * capacity));
        _entries = new Entry[size];
        _shift = 64 - BitOperations.Log2((uint)size);
    }

    /// <summary>Whether the current batch's ids collided so much that the table stopped inserting.</summary>
    public bool IsDegraded => _probeBudget < 0;

    /// <summary>Starts a batch of at most <paramref name="count"/> ids.</summary>
    public void Reset(int count)
    {
        Debug.Assert(2L * count <= _entries.Length);
        if (++_epoch == int.MaxValue)
        {
            Array.Clear(_entries);
            _epoch = 1;
        }

        _probeBudget = (long)ProbeBudgetPerId * Math.Max(count, 16);
    }

    /// <summary>Records <paramref name="id"/> as seen at <paramref name="index"/>.</summary>
    /// <returns>The index where the id was first seen in this batch, or -1 if it is new (or the table is degraded).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int AddOrGetFirst(ulong id, int index)
    {
        Entry[] entries = _entries;
        int mask = entries.Length - 1;
        int slot = (int)(Mix(id) >> _shift);
        while (true)
        {
            ref Entry entry = ref entries[slot];
            if (entry.Epoch != _epoch)
            {
                entry.Id = id;
                entry.Index = index;
                entry.Epoch = _epoch;
                return -1;
            }

            if (entry.Id == id)
            {
                return entry.Index;
            }

            if (--_probeBudget < 0)
            {
                return -1;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>A bijective 64-bit finaliser (SplitMix64's) so that structured ids spread over the table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private struct Entry
    {
        public ulong Id;
        public int Index;
        public int Epoch;
    }
}
