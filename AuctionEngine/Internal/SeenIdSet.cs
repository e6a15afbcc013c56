using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AuctionEngine.Internal;

/// <summary>
/// A first-pass filter for repeated order ids: one probe per id in a table sized once for the engine's capacity.
/// It answers only "certainly new" or "look closer"; the exact check (a sort) runs only when some id needed a
/// closer look, which honest batches never do.
/// </summary>
/// <remarks>
/// <para>
/// Open addressing with linear probing over 8-byte slots at a load factor of at most one half, so the part of the
/// table a batch uses fits in the last-level cache far more often than wider entries would. Each batch uses (and
/// clears) only a prefix proportional to its own size, so small batches on a large engine stay cheap.
/// </para>
/// <para>
/// Ids may be chosen by traders, so an adversary could aim many ids at one slot. Probing is capped per batch;
/// past the cap every further id is answered "look closer", which sends the batch to the exact check, whose cost
/// no choice of ids can inflate. The outcome never depends on which path ran.
/// </para>
/// </remarks>
internal sealed class SeenIdSet
{
    private const int ProbeBudgetPerId = 4;

    /// <summary>Zero marks an empty slot, so the id 0 is tracked on its own.</summary>
    private const ulong EmptySlot = 0;

    private readonly ulong[] _slots;
    private int _shift;
    private int _mask;
    private bool _zeroSeen;
    private long _probeBudget;

    public SeenIdSet(int capacity)
    {
        _slots = new ulong[SlotsFor(capacity)];
    }

    /// <summary>Starts a batch of at most <paramref name="count"/> ids.</summary>
    public void Reset(int count)
    {
        int slots = SlotsFor(count);
        Debug.Assert(slots <= _slots.Length);
        Array.Clear(_slots, 0, slots);
        _shift = 64 - BitOperations.Log2((uint)slots);
        _mask = slots - 1;
        _zeroSeen = false;
        _probeBudget = (long)ProbeBudgetPerId * Math.Max(count, 16);
    }

    /// <summary>
    /// Asks the CPU to start loading the slot <paramref name="id"/> hashes to. Whether a slot is free is
    /// unpredictable, so without a prefetch every mispredicted probe waits a full memory latency; issued a few ids
    /// ahead, the loads overlap instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(ulong id)
    {
        if (Sse.IsSupported)
        {
            // A prefetch is only a hint and cannot fault, so an unpinned address is harmless.
            ref ulong slot = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(Mix(id) >> _shift));
            Sse.Prefetch0(Unsafe.AsPointer(ref slot));
        }
    }

    /// <summary>Records <paramref name="id"/>.</summary>
    /// <returns>
    /// <see langword="true"/> if the id is certainly new in this batch; <see langword="false"/> if it was seen before
    /// or the probe budget ran out, in which case the caller must run the exact check.
    /// </returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAdd(ulong id)
    {
        if (id == EmptySlot)
        {
            bool isNew = !_zeroSeen;
            _zeroSeen = true;
            return isNew;
        }

        ulong[] slots = _slots;
        int slot = (int)(Mix(id) >> _shift);
        while (true)
        {
            ulong occupant = slots[slot];
            if (occupant == EmptySlot)
            {
                slots[slot] = id;
                return true;
            }

            if (occupant == id || --_probeBudget < 0)
            {
                return false;
            }

            slot = (slot + 1) & _mask;
        }
    }

    private static int SlotsFor(int count) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 2 * count));

    /// <summary>A bijective 64-bit finaliser (SplitMix64's), so that structured ids spread over the table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
