using System.Runtime.InteropServices;

namespace AuctionEngine.Management.Internal;

/// <summary>
/// What a delta hedge or a quote signed beyond the fields every instruction has. Kept in a side table rather than in
/// <see cref="InstructionRecord"/>, so that the records the stop loops read stay as small as before.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal struct ExposureTerms
{
    public long TargetDelta;
    public long Band;
    public int HalfSpreadBps;
    public long MinHalfSpread;
    public int VegaSpreadBps;
    public long VegaUnit;
    public int DeltaSpreadBps;
    public long DeltaUnit;
    public long MaxPosition;
}
