namespace AuctionEngine.Internal;

/// <summary>
/// Scalar multiplication on secp256k1 with width-w NAF: k·P for ECIES, and u1·G + u2·P (Shamir's trick, one shared
/// run of doublings) for signature recovery.
/// </summary>
/// <remarks>
/// Variable time: the digit pattern of the scalar shows in the timing. That is acceptable only where
/// <see cref="FieldElement"/> says so: recovery multiplies public values, and ECIES decryption multiplies by a batch
/// key the keypers have already published. Scalars are 32-byte big-endian numbers; any value is accepted, since the
/// group order makes k and k mod n give the same point.
/// </remarks>
internal static class CurveMultiplication
{
    /// <summary>The length of a scalar.</summary>
    public const int ScalarLength = 32;

    // G is fixed, so a wide window is paid for once: 64 affine odd multiples, about one addition per 9 bits.
    private const int BaseWindow = 8;

    // A point used once: 8 odd multiples cost 8 additions to build and give about one addition per 6 bits.
    private const int PointWindow = 5;

    // A carry out of the top window adds one digit above the 256 bits.
    private const int MaxDigits = (8 * ScalarLength) + 1;

    /// <summary>The generator G.</summary>
    public static AffinePoint Generator { get; } = Point(
        "79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798",
        "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8");

    // After Generator: static initialisers run in textual order.
    private static readonly AffinePoint[] BaseTable = BuildBaseTable();

    /// <summary>k·P.</summary>
    public static JacobianPoint Multiply(in AffinePoint p, ReadOnlySpan<byte> k)
    {
        Span<sbyte> digits = stackalloc sbyte[MaxDigits];
        int length = ToWnaf(k, PointWindow, digits);
        Span<JacobianPoint> table = stackalloc JacobianPoint[1 << (PointWindow - 2)];
        OddMultiples(p, table);

        JacobianPoint result = JacobianPoint.Infinity;
        for (int i = length - 1; i >= 0; i--)
        {
            result = result.Double();
            result = AddDigit(result, digits[i], table);
        }

        return result;
    }

    /// <summary>u1·G + u2·P.</summary>
    public static JacobianPoint MultiplyAddBase(ReadOnlySpan<byte> u1, in AffinePoint p, ReadOnlySpan<byte> u2)
    {
        Span<sbyte> baseDigits = stackalloc sbyte[MaxDigits];
        Span<sbyte> pointDigits = stackalloc sbyte[MaxDigits];
        int length = Math.Max(ToWnaf(u1, BaseWindow, baseDigits), ToWnaf(u2, PointWindow, pointDigits));
        Span<JacobianPoint> table = stackalloc JacobianPoint[1 << (PointWindow - 2)];
        OddMultiples(p, table);
        AffinePoint[] baseTable = BaseTable;

        JacobianPoint result = JacobianPoint.Infinity;
        for (int i = length - 1; i >= 0; i--)
        {
            result = result.Double();
            int digit = baseDigits[i];
            if (digit > 0)
            {
                result = result.Add(baseTable[digit >> 1]);
            }
            else if (digit < 0)
            {
                result = result.Add(-baseTable[-digit >> 1]);
            }

            result = AddDigit(result, pointDigits[i], table);
        }

        return result;
    }

    private static JacobianPoint AddDigit(in JacobianPoint accumulator, int digit, ReadOnlySpan<JacobianPoint> table)
    {
        if (digit > 0)
        {
            return accumulator.Add(table[digit >> 1]);
        }

        if (digit < 0)
        {
            return accumulator.Add(-table[-digit >> 1]);
        }

        return accumulator;
    }

    /// <summary>P, 3P, 5P, … into <paramref name="table"/>.</summary>
    private static void OddMultiples(in AffinePoint p, Span<JacobianPoint> table)
    {
        var first = new JacobianPoint(p);
        JacobianPoint twice = first.Double();
        table[0] = first;
        for (int i = 1; i < table.Length; i++)
        {
            table[i] = table[i - 1].Add(twice);
        }
    }

    /// <summary>
    /// Writes the width-w NAF of a scalar, least significant digit first: every non-zero digit is odd, below
    /// 2^(w−1) in magnitude, and followed by at least w − 1 zeros. Returns the number of digits up to the highest
    /// non-zero one.
    /// </summary>
    private static int ToWnaf(ReadOnlySpan<byte> scalar, int window, Span<sbyte> digits)
    {
        // libsecp256k1's secp256k1_ecmult_wnaf, for a non-negative scalar.
        const int Bits = 8 * ScalarLength;
        digits.Clear();
        int carry = 0;
        int bit = 0;
        int length = 0;
        while (bit < Bits)
        {
            if (GetBits(scalar, bit, 1) == carry)
            {
                bit++;
                continue;
            }

            int width = Math.Min(window, Bits - bit);
            int word = GetBits(scalar, bit, width) + carry;

            // A digit of 2^(w−1) or more is taken as negative and borrowed back from the next window. A window cut
            // short at the top holds an odd word below 2^(w−1), so it never carries.
            carry = (word >> (window - 1)) & 1;
            word -= carry << window;
            digits[bit] = (sbyte)word;
            bit += width;
            length = bit;
        }

        if (carry != 0)
        {
            // The last window was full, so it ended at bit 256 at most.
            digits[bit] = 1;
            length = bit + 1;
        }

        // length is one past the end of the last window, which may hold zeros above its digit; they only double ∞.
        return length;
    }

    /// <summary>Bits [bit, bit + count) of a big-endian number, count ≤ 8 and bit + count ≤ 256.</summary>
    private static int GetBits(ReadOnlySpan<byte> scalar, int bit, int count)
    {
        int index = ScalarLength - 1 - (bit >> 3);
        int shift = bit & 7;
        int value = scalar[index] >> shift;
        if (shift + count > 8)
        {
            value |= scalar[index - 1] << (8 - shift);
        }

        return value & ((1 << count) - 1);
    }

    private static AffinePoint[] BuildBaseTable()
    {
        Span<JacobianPoint> multiples = new JacobianPoint[1 << (BaseWindow - 2)];
        OddMultiples(Generator, multiples);
        var table = new AffinePoint[multiples.Length];
        for (int i = 0; i < table.Length; i++)
        {
            multiples[i].TryToAffine(out table[i]);
        }

        return table;
    }

    private static AffinePoint Point(string x, string y)
    {
        FieldElement.TryRead(Convert.FromHexString(x), out FieldElement fx);
        FieldElement.TryRead(Convert.FromHexString(y), out FieldElement fy);
        return new AffinePoint(fx, fy);
    }
}
