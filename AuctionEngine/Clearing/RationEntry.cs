using System.Runtime.InteropServices;

namespace AuctionEngine.Clearing;

/// <summary>
/// An order on the level where volume runs out, with the remainder of its exact pro-rata share. Sorts best first:
/// larger remainder, then lower priority key, then lower id (unique once duplicates are rejected, so the order is
/// total and no position in the input can matter).
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal struct RationEntry : IComparable<RationEntry>
{
    public UInt128 Remainder;
    public ulong PriorityKey;
    public ulong Id;
    public long Share;
    public int Index;

    public readonly int CompareTo(RationEntry other)
    {
        int c = other.Remainder.CompareTo(Remainder);
        if (c == 0)
        {
            c = PriorityKey.CompareTo(other.PriorityKey);
        }

        return c != 0 ? c : Id.CompareTo(other.Id);
    }
}
