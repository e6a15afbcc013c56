using System.Diagnostics;
using System.Runtime.CompilerServices;
using AuctionEngine.Primitives;

namespace AuctionEngine.Clearing.Internal;

/// <summary>Exact integer arithmetic for pro-rata shares.</summary>
internal static class ProRata
{
    /// <summary>
    /// Computes <c>floor(quantity × available / total)</c> and its remainder <c>(quantity × available) mod total</c>
    /// exactly, for <c>available &lt; total</c> and <c>quantity ≤ total</c>.
    /// </summary>
    /// <remarks>
    /// The product can exceed 128 bits when the level's total does (more than 2^64 lots on one price), so that case
    /// runs a shift-and-subtract long division that keeps every intermediate below <c>2 × total</c>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Share(long quantity, UInt128 available, UInt128 total, out UInt128 remainder)
    {
        Debug.Assert(quantity > 0 && available < total && (UInt128)(ulong)quantity <= total);
        if (total <= ulong.MaxValue)
        {
            UInt128 product = WideMath.Multiply((ulong)quantity, (ulong)available);
            ulong divisor = (ulong)total;
            if (product <= ulong.MaxValue)
            {
                ulong p = (ulong)product;
                remainder = p % divisor;
                return (long)(p / divisor);
            }

            UInt128 quotient = UInt128.DivRem(product, divisor).Quotient;
            remainder = product - (quotient * divisor);
            return (long)quotient;
        }

        return ShareWide(quantity, available, total, out remainder);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ShareWide(long quantity, UInt128 available, UInt128 total, out UInt128 remainder)
    {
        // Invariant after each step: (bits of quantity read so far) × available = q × total + r, 0 ≤ r < total.
        ulong q = 0;
        UInt128 r = UInt128.Zero;
        for (int bit = 62; bit >= 0; bit--)
        {
            q <<= 1;
            r <<= 1; // r < total < 2^127 here, because total ≤ 2^63 × capacity.
            if (r >= total)
            {
                r -= total;
                q++;
            }

            if (((quantity >> bit) & 1) != 0)
            {
                r += available;
                if (r >= total)
                {
                    r -= total;
                    q++;
                }
            }
        }

        remainder = r;
        return (long)q;
    }
}
