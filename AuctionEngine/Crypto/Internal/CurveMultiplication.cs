using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Endo;
using Org.BouncyCastle.Utilities;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace AuctionEngine.Crypto.Internal;

/// <summary>
/// Scalar multiplication on secp256k1 with width-w NAF and the GLV endomorphism: k·P for ECIES, and u1·G + u2·P
/// (Shamir's trick, one shared run of doublings) for signature recovery.
/// </summary>
/// <remarks>
/// <para>
/// Each scalar k is split as k ≡ k1 + k2·λ (mod n) with k1 and k2 of about 128 bits, and k·P computed as
/// k1·P + k2·(λP), where λP = (β·x, y) costs one field multiplication: half the doublings of a plain ladder. The
/// split is BouncyCastle's (a few big-integer products, not the bottleneck).
/// </para>
/// <para>
/// Variable time: the digit pattern of the scalar, its GLV split and <see cref="JacobianPoint"/>'s special cases all
/// show in the timing. That is safe only because every scalar it is given is public: signer recovery multiplies by
/// values computed from the signature and the digest, and ECIES decryption in a sealed batch multiplies by the batch
/// key only once t keypers have released their shares, when anyone can rebuild it. Secrets (private keys, nonces,
/// ECIES ephemeral keys, the dealer's coefficients) go through <see cref="ConstantTimeMultiplication"/>. Scalars may
/// be any non-negative integer; they are reduced modulo n.
/// </para>
/// </remarks>
internal static class CurveMultiplication
{
    // G is fixed, so a wide window is paid for once: 64 affine odd multiples, about one addition per 9 bits.
    private const int BaseWindow = 8;

    // A point used once: 8 odd multiples cost 8 additions to build and give about one addition per 6 bits.
    private const int PointWindow = 5;

    private const int ScalarLength = 32;

    // A carry out of the top window adds one digit above the 256 bits.
    private const int MaxDigits = (8 * ScalarLength) + 1;

    private static readonly ECCurve Curve = Secp256k1Curve.Domain.Curve;

    private static readonly GlvEndomorphism Glv = (GlvEndomorphism)Curve.GetEndomorphism();

    private static readonly AffinePoint[] BaseTable = BuildBaseTable();

    private static readonly AffinePoint[] LambdaBaseTable = Array.ConvertAll(BaseTable, p => p.MultiplyByLambda());

    /// <summary>k·P.</summary>
    public static JacobianPoint Multiply(in AffinePoint p, BigInteger k)
    {
        Span<sbyte> digits1 = stackalloc sbyte[MaxDigits];
        Span<sbyte> digits2 = stackalloc sbyte[MaxDigits];
        int length = Split(k, PointWindow, digits1, digits2);
        Span<AffinePoint> table = stackalloc AffinePoint[1 << (PointWindow - 2)];
        Span<AffinePoint> lambdaTable = stackalloc AffinePoint[table.Length];
        FieldElement scale = OddMultiples(p, table, lambdaTable);

        JacobianPoint result = JacobianPoint.Infinity;
        for (int i = length - 1; i >= 0; i--)
        {
            result = result.Double();
            result = AddDigit(result, digits1[i], table);
            result = AddDigit(result, digits2[i], lambdaTable);
        }

        return result.ScaleZ(scale);
    }

    /// <summary>u1·G + u2·P.</summary>
    public static JacobianPoint MultiplyAddBase(BigInteger u1, in AffinePoint p, BigInteger u2)
    {
        Span<sbyte> base1 = stackalloc sbyte[MaxDigits];
        Span<sbyte> base2 = stackalloc sbyte[MaxDigits];
        Span<sbyte> point1 = stackalloc sbyte[MaxDigits];
        Span<sbyte> point2 = stackalloc sbyte[MaxDigits];
        int length = Math.Max(Split(u1, BaseWindow, base1, base2), Split(u2, PointWindow, point1, point2));
        Span<AffinePoint> table = stackalloc AffinePoint[1 << (PointWindow - 2)];
        Span<AffinePoint> lambdaTable = stackalloc AffinePoint[table.Length];
        FieldElement scale = OddMultiples(p, table, lambdaTable);

        // The loop runs on P's table's curve, so G's multiples are carried over to it as they are added.
        FieldElement scale2 = scale.Square();
        FieldElement scale3 = scale2 * scale;
        ReadOnlySpan<AffinePoint> baseTable = BaseTable;
        ReadOnlySpan<AffinePoint> lambdaBaseTable = LambdaBaseTable;

        JacobianPoint result = JacobianPoint.Infinity;
        for (int i = length - 1; i >= 0; i--)
        {
            result = result.Double();
            result = AddScaledDigit(result, base1[i], baseTable, scale2, scale3);
            result = AddScaledDigit(result, base2[i], lambdaBaseTable, scale2, scale3);
            result = AddDigit(result, point1[i], table);
            result = AddDigit(result, point2[i], lambdaTable);
        }

        return result.ScaleZ(scale);
    }

    /// <summary>
    /// Splits k mod n into k1 + k2·λ and writes the wNAF of each half (negated for a negative half); returns the
    /// longer length.
    /// </summary>
    private static int Split(BigInteger k, int window, Span<sbyte> digits1, Span<sbyte> digits2)
    {
        BigInteger[] parts = Glv.DecomposeScalar(k.Mod(Curve.Order));
        return Math.Max(ToWnaf(parts[0], window, digits1), ToWnaf(parts[1], window, digits2));
    }

    private static int ToWnaf(BigInteger value, int window, Span<sbyte> digits)
    {
        Span<byte> magnitude = stackalloc byte[ScalarLength];
        BigIntegers.AsUnsignedByteArray(value.Abs(), magnitude);
        int length = ToWnaf(magnitude, window, digits);
        if (value.SignValue < 0)
        {
            for (int i = 0; i < length; i++)
            {
                digits[i] = (sbyte)-digits[i];
            }
        }

        return length;
    }

    private static JacobianPoint AddDigit(in JacobianPoint accumulator, int digit, ReadOnlySpan<AffinePoint> table)
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

    /// <summary>Adds ±table[|digit| / 2] mapped to the curve scaled by (s², s³), given s² and s³.</summary>
    private static JacobianPoint AddScaledDigit(
        in JacobianPoint accumulator, int digit, ReadOnlySpan<AffinePoint> table, in FieldElement scale2, in FieldElement scale3)
    {
        if (digit == 0)
        {
            return accumulator;
        }

        ref readonly AffinePoint point = ref table[Math.Abs(digit) >> 1];
        FieldElement y = point.Y * scale3;
        return accumulator.Add(new AffinePoint(point.X * scale2, digit > 0 ? y : -y));
    }

    /// <summary>
    /// Writes P, 3P, 5P, … and λ times each as affine points on a curve isomorphic to secp256k1, and returns the
    /// Z factor that carries a Jacobian result on that curve back to secp256k1.
    /// </summary>
    /// <remarks>
    /// With a = 0 the addition formulas do not involve b, so they work unchanged on y² = x³ + 7·s⁶, whose points are
    /// (s²·x, s³·y). On the curve with s = Z of 2P, 2P is affine and the table is built with mixed additions;
    /// rescaling every entry to the last entry's Z (from the Z ratios, no inversion) makes them all affine on a
    /// second such curve, so the main loop adds them with mixed additions too: libsecp256k1's "effective affine".
    /// </remarks>
    private static FieldElement OddMultiples(in AffinePoint p, Span<AffinePoint> table, Span<AffinePoint> lambdaTable)
    {
        JacobianPoint twice = new JacobianPoint(p).Double();
        FieldElement z = twice.Z;
        FieldElement z2 = z.Square();
        var step = new AffinePoint(twice.X, twice.Y);

        Span<JacobianPoint> multiples = stackalloc JacobianPoint[table.Length];
        Span<FieldElement> ratios = stackalloc FieldElement[table.Length];
        multiples[0] = new JacobianPoint(new AffinePoint(p.X * z2, p.Y * z2 * z));
        for (int i = 1; i < multiples.Length; i++)
        {
            multiples[i] = multiples[i - 1].AddDistinct(step, out ratios[i]);
        }

        // factor = Z_last / Z_i, built down from the last entry.
        FieldElement factor = FieldElement.One;
        for (int i = multiples.Length - 1; i >= 0; i--)
        {
            FieldElement factor2 = factor.Square();
            table[i] = new AffinePoint(multiples[i].X * factor2, multiples[i].Y * factor2 * factor);
            lambdaTable[i] = table[i].MultiplyByLambda();
            if (i > 0)
            {
                factor *= ratios[i];
            }
        }

        return multiples[^1].Z * z;
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
        var first = new JacobianPoint(AffinePoint.Generator);
        JacobianPoint twice = first.Double();
        var table = new AffinePoint[1 << (BaseWindow - 2)];
        JacobianPoint multiple = first;
        for (int i = 0; i < table.Length; i++)
        {
            multiple.TryToAffine(out table[i]);
            multiple = multiple.Add(twice);
        }

        return table;
    }
}
