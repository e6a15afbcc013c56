using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AuctionEngine.Management.Internal;

/// <summary>
/// Asks the CPU to start loading a record a few iterations before a loop reads it. The records a block's triggered
/// stops name lie scattered over the arrays of a million instructions, one cache and TLB miss each; a loop that emits
/// events between them keeps too few loads in flight on its own, so without a hint the misses follow one another.
/// </summary>
internal static class RecordPrefetch
{
    /// <summary>How many iterations ahead a record is prefetched: enough to cover a miss to memory.</summary>
    public const int Distance = 8;

    /// <summary>Prefetches every cache line of <paramref name="records"/>[<paramref name="index"/>].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Lines<T>(T[] records, int index)
        where T : struct
    {
        if (Sse.IsSupported)
        {
            // A prefetch is only a hint and cannot fault, so an unpinned address is harmless.
            byte* start = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(records), (nint)(uint)index));
            for (int offset = 0; offset < Unsafe.SizeOf<T>(); offset += 64)
            {
                Sse.Prefetch0(start + offset);
            }

            // The last line, when the record straddles one more boundary than its size alone needs.
            Sse.Prefetch0(start + Unsafe.SizeOf<T>() - 1);
        }
    }
}
