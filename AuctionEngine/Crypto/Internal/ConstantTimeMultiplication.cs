using System.Runtime.CompilerServices;

namespace AuctionEngine.Crypto.Internal;

/// <summary>
/// Scalar multiplication on secp256k1 for secret scalars, in constant time: k·G (public keys, signing nonces, ECIES
/// ephemeral keys, the dealer's commitments) and k·P (the ECIES shared point).
/// </summary>
/// <remarks>
/// <para>
/// Both methods do the same work for every scalar: a fixed number of iterations, one 4-bit digit each, with no
/// branch and no memory index that depends on a digit. A table entry is chosen by reading every entry of the table
/// and keeping the one the digit names with masks, and the point arithmetic is <see cref="ProjectivePoint"/>'s
/// complete formulas, which need no special case for the identity or for doubling. Tests check the schedule through
/// <see cref="IMultiplicationTrace"/>.
/// </para>
/// <para>
/// k·G is a comb: the table holds j·16^w·G for every window w from 0 to 63 and digit j from 1 to 15 (60 KiB of
/// affine points, built once from public data), so k·G = Σ table[w][digit_w] takes 64 mixed additions and no
/// doubling. A zero digit has no entry: its addition is computed anyway, with an all-zero operand, and discarded by
/// a masked choice. k·P builds 0·P … 15·P (14 additions), then takes the 64 digits from the top: four doublings
/// and one addition each, the identity included as entry 0.
/// </para>
/// <para>
/// The scalar must be reduced (below n); zero gives the identity. P is not hidden: in every use it is a public key.
/// The caller learns whether the result is the identity when it converts it to affine coordinates, which for a
/// non-zero scalar and a point of prime order it never is. The variable-time <see cref="CurveMultiplication"/> is
/// faster and remains for public scalars only.
/// </para>
/// </remarks>
internal static class ConstantTimeMultiplication
{
    private const int DigitBits = 4;

    private const int Windows = 256 / DigitBits;

    // j·16^w·G for j = 1 … 15; the digit 0 needs no entry.
    private const int BaseEntries = (1 << DigitBits) - 1;

    // j·P for j = 0 … 15.
    private const int PointEntries = 1 << DigitBits;

    private static readonly AffinePoint[] BaseTable = BuildBaseTable();

    /// <summary>k·G.</summary>
    public static ProjectivePoint MultiplyBase(in Scalar k) => MultiplyBase<NoTrace>(k);

    /// <summary>k·P.</summary>
    public static ProjectivePoint Multiply(in AffinePoint p, in Scalar k) => Multiply<NoTrace>(p, k);

    /// <summary>k·G, telling <typeparamref name="TTrace"/> each step.</summary>
    public static ProjectivePoint MultiplyBase<TTrace>(in Scalar k)
        where TTrace : IMultiplicationTrace
    {
        ReadOnlySpan<AffinePoint> table = BaseTable;
        ProjectivePoint result = ProjectivePoint.Identity;
        for (int window = 0; window < Windows; window++)
        {
            int digit = k.Nibble(window);
            AffinePoint entry = Lookup<TTrace>(table.Slice(window * BaseEntries, BaseEntries), window, digit);
            ProjectivePoint sum = result.Add(entry);
            TTrace.OnAddition();
            result = ProjectivePoint.Select(NonZeroMask(digit), sum, result);
            TTrace.OnSelection();
        }

        return result;
    }

    /// <summary>k·P, telling <typeparamref name="TTrace"/> each step.</summary>
    public static ProjectivePoint Multiply<TTrace>(in AffinePoint p, in Scalar k)
        where TTrace : IMultiplicationTrace
    {
        Span<ProjectivePoint> table = stackalloc ProjectivePoint[PointEntries];
        table[0] = ProjectivePoint.Identity;
        table[1] = new ProjectivePoint(p);
        for (int j = 2; j < PointEntries; j++)
        {
            table[j] = table[j - 1].Add(p);
            TTrace.OnAddition();
        }

        // The top window starts from the identity, so it needs no doublings: a choice fixed by the algorithm, not by k.
        ProjectivePoint result = Lookup<TTrace>(table, Windows - 1, k.Nibble(Windows - 1));
        for (int window = Windows - 2; window >= 0; window--)
        {
            for (int bit = 0; bit < DigitBits; bit++)
            {
                result = result.Double();
                TTrace.OnDoubling();
            }

            result = result.Add(Lookup<TTrace>(table, window, k.Nibble(window)));
            TTrace.OnAddition();
        }

        return result;
    }

    /// <summary>Entry digit − 1 of a window's affine entries, or (0, 0) for digit 0, having read every entry.</summary>
    private static AffinePoint Lookup<TTrace>(ReadOnlySpan<AffinePoint> entries, int window, int digit)
        where TTrace : IMultiplicationTrace
    {
        FieldElement x = FieldElement.Zero;
        FieldElement y = FieldElement.Zero;
        for (int j = 1; j <= entries.Length; j++)
        {
            ref readonly AffinePoint entry = ref entries[j - 1];
            ulong match = EqualMask(j, digit);
            x = FieldElement.Select(match, entry.X, x);
            y = FieldElement.Select(match, entry.Y, y);
            TTrace.OnRead(window, j);
        }

        return new AffinePoint(x, y);
    }

    /// <summary>Entry digit of a window's projective entries, having read every entry.</summary>
    private static ProjectivePoint Lookup<TTrace>(ReadOnlySpan<ProjectivePoint> entries, int window, int digit)
        where TTrace : IMultiplicationTrace
    {
        ProjectivePoint result = ProjectivePoint.Identity;
        for (int j = 0; j < entries.Length; j++)
        {
            result = ProjectivePoint.Select(EqualMask(j, digit), entries[j], result);
            TTrace.OnRead(window, j);
        }

        return result;
    }

    /// <summary>All ones for a digit from 1 to 15, zero for 0, by arithmetic rather than a comparison.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong NonZeroMask(int digit) => 0 - (ulong)((uint)-digit >> 31);

    /// <summary>All ones if two digits from 0 to 15 are equal, zero otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EqualMask(int a, int b) => ~NonZeroMask(a ^ b);

    /// <summary>
    /// j·16^w·G for w = 0 … 63 and j = 1 … 15, window by window, in affine coordinates: computed with the
    /// variable-time Jacobian formulas (G is public) and brought to Z = 1 with one inversion for the whole table.
    /// </summary>
    private static AffinePoint[] BuildBaseTable()
    {
        var points = new JacobianPoint[Windows * BaseEntries];
        var windowBase = new JacobianPoint(AffinePoint.Generator);
        for (int window = 0; window < Windows; window++)
        {
            JacobianPoint multiple = windowBase;
            for (int j = 0; j < BaseEntries; j++)
            {
                points[(window * BaseEntries) + j] = multiple;
                multiple = multiple.Add(windowBase);
            }

            // Fifteen additions of 16^w·G leave 16^(w+1)·G.
            windowBase = multiple;
        }

        // Montgomery's trick: prefix products of Z, one inversion, then each 1/Z from its neighbours' products.
        var prefix = new FieldElement[points.Length];
        FieldElement product = FieldElement.One;
        for (int i = 0; i < points.Length; i++)
        {
            product *= points[i].Z;
            prefix[i] = product;
        }

        var table = new AffinePoint[points.Length];
        FieldElement inverse = product.Invert();
        for (int i = points.Length - 1; i >= 0; i--)
        {
            FieldElement zInverse = i > 0 ? inverse * prefix[i - 1] : inverse;
            inverse *= points[i].Z;
            FieldElement zInverse2 = zInverse.Square();
            table[i] = new AffinePoint(points[i].X * zInverse2, points[i].Y * zInverse2 * zInverse);
        }

        return table;
    }
}
