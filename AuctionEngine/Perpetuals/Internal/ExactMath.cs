using System.Numerics;
using System.Runtime.CompilerServices;

namespace AuctionEngine.Perpetuals.Internal;

/// <summary>Rounded integer division for the margin arithmetic: every rounding in the engine names its direction.</summary>
internal static class ExactMath
{
    /// <summary>⌊a / b⌋ for b &gt; 0 (toward −∞, unlike C#'s division, which truncates toward zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Int128 FloorDiv(Int128 a, Int128 b)
    {
        Int128 quotient = a / b;
        return (a % b != 0 && a < 0) ? quotient - 1 : quotient;
    }

    /// <summary>⌈a / b⌉ for b &gt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Int128 CeilDiv(Int128 a, Int128 b)
    {
        Int128 quotient = a / b;
        return (a % b != 0 && a > 0) ? quotient + 1 : quotient;
    }

    /// <summary>⌊a / b⌋ for b &gt; 0.</summary>
    public static BigInteger FloorDiv(BigInteger a, BigInteger b)
    {
        BigInteger quotient = BigInteger.DivRem(a, b, out BigInteger remainder);
        return remainder.Sign < 0 ? quotient - 1 : quotient;
    }

    /// <summary>⌈a / b⌉ for b &gt; 0.</summary>
    public static BigInteger CeilDiv(BigInteger a, BigInteger b)
    {
        BigInteger quotient = BigInteger.DivRem(a, b, out BigInteger remainder);
        return remainder.Sign > 0 ? quotient + 1 : quotient;
    }

    /// <summary>
    /// ⌊n1 × n2 × n3 / (d1 × d2)⌋ or ⌈…⌉ for positive d1 and d2, exactly: in <see cref="Int128"/> when every product
    /// fits (the usual case, without allocation), else in <see cref="BigInteger"/>.
    /// </summary>
    public static Int128 Ratio(Int128 n1, Int128 n2, Int128 n3, Int128 d1, Int128 d2, bool ceiling)
    {
        if (BitLength(n1) + BitLength(n2) + BitLength(n3) <= 126 && BitLength(d1) + BitLength(d2) <= 126)
        {
            Int128 numerator = n1 * n2 * n3;
            Int128 denominator = d1 * d2;
            return ceiling ? CeilDiv(numerator, denominator) : FloorDiv(numerator, denominator);
        }

        return WideRatio(n1, n2, n3, d1, d2, ceiling);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Int128 WideRatio(Int128 n1, Int128 n2, Int128 n3, Int128 d1, Int128 d2, bool ceiling)
    {
        BigInteger numerator = (BigInteger)n1 * (BigInteger)n2 * (BigInteger)n3;
        BigInteger denominator = (BigInteger)d1 * (BigInteger)d2;
        return checked((Int128)(ceiling ? CeilDiv(numerator, denominator) : FloorDiv(numerator, denominator)));
    }

    /// <summary>Whether n1 × n2 ≥ d1 × d2, exactly, for non-negative operands.</summary>
    public static bool ProductAtLeast(Int128 n1, Int128 n2, Int128 d1, Int128 d2)
    {
        if (BitLength(n1) + BitLength(n2) <= 126 && BitLength(d1) + BitLength(d2) <= 126)
        {
            return n1 * n2 >= d1 * d2;
        }

        return (BigInteger)n1 * (BigInteger)n2 >= (BigInteger)d1 * (BigInteger)d2;
    }

    /// <summary>The number of bits of |value| (0 for 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BitLength(Int128 value)
    {
        UInt128 magnitude = value < 0 ? (UInt128)(-value) : (UInt128)value;
        return 128 - (int)UInt128.LeadingZeroCount(magnitude);
    }

    /// <summary>The value clamped into the 64-bit range (for prices reported beyond any market's bounds).</summary>
    public static long Saturate(Int128 value) =>
        value > long.MaxValue ? long.MaxValue : value < long.MinValue ? long.MinValue : (long)value;
}
