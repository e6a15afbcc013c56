using System.Runtime.CompilerServices;

namespace AuctionEngine.Internal;

/// <summary>Widening arithmetic available on every target framework.</summary>
internal static class WideMath
{
    /// <summary>The exact 128-bit product of two 64-bit values (one hardware multiply; it cannot overflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt128 Multiply(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return new UInt128(high, low);
    }
}
