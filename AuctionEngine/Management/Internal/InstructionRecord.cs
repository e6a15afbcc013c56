using System.Runtime.InteropServices;
using AuctionEngine.Primitives;

namespace AuctionEngine.Management.Internal;

/// <summary>A live instruction: its id, owner, lifetime and the slots of its legs; TWAP and bracket progress; a hedge's or quote's terms.</summary>
[StructLayout(LayoutKind.Auto)]
internal struct InstructionRecord
{
    public Hash32 Id;
    public Address Trader;
    public int TraderSlot;
    public InstructionKind Kind;
    public bool Live;

    /// <summary>Signed reduce-only: every release carries it onto its <see cref="ManagedOrder"/>.</summary>
    public bool ReduceOnly;
    public long ExpiryBlock;
    public long NextSequence;
    public int LegCount;
    public int Leg0;
    public int Leg1;
    public int Leg2;

    public long TwapStart;
    public int Parts;
    public int BlocksPerPart;
    public int NextPart;
    public int ToleranceBps;
    public long TwapLimit;

    /// <summary>A TWAP's last part came due: it completes once nothing of it is pending.</summary>
    public bool LastPartDue;

    /// <summary>A bracket's entry is filled or expired: it can no longer add to the position.</summary>
    public bool EntryDone;

    /// <summary>A delta hedge's or a quote's slot in the manager's table of <see cref="ExposureTerms"/>.</summary>
    public int Terms;

    public readonly int LegAt(int index) => index switch { 0 => Leg0, 1 => Leg1, _ => Leg2 };
}
