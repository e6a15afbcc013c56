using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AuctionEngine.Primitives;

/// <summary>Widening and multi-limb arithmetic available on every target framework.</summary>
internal static class WideMath
{
    /// <summary>The exact 128-bit product of two 64-bit values (one hardware multiply; it cannot overflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt128 Multiply(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return new UInt128(high, low);
    }

    /// <summary>a + b + carry, setting carry to the carry out (0, 1 or 2 for carries above 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddWithCarry(ulong a, ulong b, ref ulong carry)
    {
        ulong sum = a + b;
        ulong next = sum < a ? 1UL : 0UL;
        ulong result = sum + carry;
        carry = next + (result < sum ? 1UL : 0UL);
        return result;
    }

    /// <summary>a − b − borrow, setting borrow to the borrow out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubtractWithBorrow(ulong a, ulong b, ref ulong borrow)
    {
        ulong difference = a - b;
        ulong next = a < b ? 1UL : 0UL;
        ulong result = difference - borrow;
        borrow = next + (difference < borrow ? 1UL : 0UL);
        return result;
    }

    /// <summary>The high half of a · b.</summary>
    /// <remarks>
    /// Math.BigMul's out parameter makes the JIT store the low half to memory and load it back, in the hottest loop
    /// of the library; a separate low multiply (a · b, truncated) keeps both halves in registers.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MultiplyHigh(ulong a, ulong b) =>
        Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(a, b) : Math.BigMul(a, b, out _);

    /// <summary>(c2, c1, c0) += a · b, the three-limb column accumulator of schoolbook multiplication.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(ulong a, ulong b, ref ulong c0, ref ulong c1, ref ulong c2)
    {
        ulong low = a * b;
        ulong high = MultiplyHigh(a, b);
        c0 += low;

        // high ≤ 2^64 − 2, so taking the carry cannot overflow it.
        high += c0 < low ? 1UL : 0UL;
        c1 += high;
        c2 += c1 < high ? 1UL : 0UL;
    }

    /// <summary>(c2, c1, c0) += a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SumAdd(ulong a, ref ulong c0, ref ulong c1, ref ulong c2)
    {
        c0 += a;
        ulong carry = c0 < a ? 1UL : 0UL;
        c1 += carry;
        c2 += c1 < carry ? 1UL : 0UL;
    }

    /// <summary>Takes the finished low limb out of the accumulator and moves the rest down.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Shift(ref ulong c0, ref ulong c1, ref ulong c2)
    {
        ulong limb = c0;
        c0 = c1;
        c1 = c2;
        c2 = 0;
        return limb;
    }

    /// <summary>The 512-bit product of two 256-bit values given as little-endian 64-bit limbs, by columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyWide(
        ulong a0, ulong a1, ulong a2, ulong a3, ulong b0, ulong b1, ulong b2, ulong b3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3, out ulong r4, out ulong r5, out ulong r6, out ulong r7)
    {
        ulong c0 = 0, c1 = 0, c2 = 0;
        MultiplyAdd(a0, b0, ref c0, ref c1, ref c2);
        r0 = Shift(ref c0, ref c1, ref c2);
        MultiplyAdd(a0, b1, ref c0, ref c1, ref c2);
        MultiplyAdd(a1, b0, ref c0, ref c1, ref c2);
        r1 = Shift(ref c0, ref c1, ref c2);
        MultiplyAdd(a0, b2, ref c0, ref c1, ref c2);
        MultiplyAdd(a1, b1, ref c0, ref c1, ref c2);
        MultiplyAdd(a2, b0, ref c0, ref c1, ref c2);
        r2 = Shift(ref c0, ref c1, ref c2);
        MultiplyAdd(a0, b3, ref c0, ref c1, ref c2);
        MultiplyAdd(a1, b2, ref c0, ref c1, ref c2);
        MultiplyAdd(a2, b1, ref c0, ref c1, ref c2);
        MultiplyAdd(a3, b0, ref c0, ref c1, ref c2);
        r3 = Shift(ref c0, ref c1, ref c2);
        MultiplyAdd(a1, b3, ref c0, ref c1, ref c2);
        MultiplyAdd(a2, b2, ref c0, ref c1, ref c2);
        MultiplyAdd(a3, b1, ref c0, ref c1, ref c2);
        r4 = Shift(ref c0, ref c1, ref c2);
        MultiplyAdd(a2, b3, ref c0, ref c1, ref c2);
        MultiplyAdd(a3, b2, ref c0, ref c1, ref c2);
        r5 = Shift(ref c0, ref c1, ref c2);
        MultiplyAdd(a3, b3, ref c0, ref c1, ref c2);
        r6 = c0;
        r7 = c1;
    }
}
