using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using static AuctionEngine.Primitives.WideMath;

namespace AuctionEngine.Crypto.Internal;

/// <summary>
/// An element of the secp256k1 base field, integers modulo p = 2^256 − 2^32 − 977, as four 64-bit limbs.
/// </summary>
/// <remarks>
/// <para>
/// Every value is kept canonical (below p), so equality and parity are plain limb comparisons. Reduction uses
/// 2^256 ≡ 2^32 + 977 (mod p): the high half of a product is multiplied by that 33-bit constant and folded back in.
/// </para>
/// <para>
/// Two flavours of the same arithmetic. The operators and <see cref="Square"/> are variable time: when a sum,
/// difference or product needs a final correction by p they take a branch, which is almost always predicted, so the
/// processor runs ahead of the reduction. They serve public data only (signer recovery, opening a batch whose key
/// has been released), where that is worth a fifth of the time: recovery measured 65 µs with them against 78 µs
/// with masks. <see cref="ConstantTime"/> computes the same values for secrets with no branch: carries and borrows
/// come from comparisons the JIT compiles to flag instructions (<c>setb</c>), and a correction by p is always
/// computed and chosen by a mask. <see cref="Invert"/> and the exponentiation in <see cref="TrySqrt"/> are fixed
/// chains of <see cref="ConstantTime"/> products for every caller; at one per multiplication their cost hardly
/// shows.
/// </para>
/// <para>
/// Whatever returns a <see langword="bool"/> hands a value-dependent bit to its caller: <see cref="IsZero"/>,
/// <see cref="IsOdd"/>, <see cref="Equals(FieldElement)"/>, <see cref="TryRead"/>'s range check, <see cref="TrySqrt"/>'s
/// verdict. Constant-time code uses <see cref="LowBit"/> and <see cref="Select"/> instead.
/// </para>
/// </remarks>
internal readonly struct FieldElement : IEquatable<FieldElement>
{
    /// <summary>The length of the big-endian encoding.</summary>
    public const int Length = 32;

    // 2^256 mod p.
    private const ulong Fold = 0x1000003D1;

    // The low limb of p; the other three limbs are all ones.
    private const ulong P0 = 0xFFFFFFFEFFFFFC2F;

    private readonly ulong _l0;
    private readonly ulong _l1;
    private readonly ulong _l2;
    private readonly ulong _l3;

    private FieldElement(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        _l0 = l0;
        _l1 = l1;
        _l2 = l2;
        _l3 = l3;
    }

    public static FieldElement Zero => default;

    public static FieldElement One => new(1, 0, 0, 0);

    public bool IsZero => (_l0 | _l1 | _l2 | _l3) == 0;

    public bool IsOdd => (_l0 & 1) != 0;

    /// <summary>The parity as a number, 0 or 1, for code that must not branch on it.</summary>
    public ulong LowBit => _l0 & 1;

    /// <summary><paramref name="ifSet"/> where <paramref name="mask"/> is all ones, <paramref name="ifClear"/> where it is zero.</summary>
    /// <remarks>The mask must be one or the other; both operands are read either way.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Select(ulong mask, in FieldElement ifSet, in FieldElement ifClear) => new(
        (ifSet._l0 & mask) | (ifClear._l0 & ~mask),
        (ifSet._l1 & mask) | (ifClear._l1 & ~mask),
        (ifSet._l2 & mask) | (ifClear._l2 & ~mask),
        (ifSet._l3 & mask) | (ifClear._l3 & ~mask));

    /// <summary>Reads a 32-byte big-endian number, refusing one that is not below p.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bigEndian, out FieldElement value)
    {
        System.Diagnostics.Debug.Assert(bigEndian.Length == Length);
        ulong l3 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian);
        ulong l2 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian[8..]);
        ulong l1 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian[16..]);
        ulong l0 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian[24..]);
        value = new FieldElement(l0, l1, l2, l3);
        return !IsAtLeastP(l0, l1, l2, l3);
    }

    /// <summary>Writes the canonical value as 32 big-endian bytes.</summary>
    public void Write(Span<byte> bigEndian)
    {
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian, _l3);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian[8..], _l2);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian[16..], _l1);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian[24..], _l0);
    }

    public static FieldElement operator +(in FieldElement a, in FieldElement b)
    {
        ulong carry = 0;
        ulong r0 = AddWithCarry(a._l0, b._l0, ref carry);
        ulong r1 = AddWithCarry(a._l1, b._l1, ref carry);
        ulong r2 = AddWithCarry(a._l2, b._l2, ref carry);
        ulong r3 = AddWithCarry(a._l3, b._l3, ref carry);

        // A sum below 2p that wrapped past 2^256 is brought back by adding 2^256 − p; it cannot wrap again.
        if (carry != 0)
        {
            return AddSmall(r0, r1, r2, r3, Fold);
        }

        return Canonical(r0, r1, r2, r3);
    }

    public static FieldElement operator -(in FieldElement a, in FieldElement b)
    {
        ulong borrow = 0;
        ulong r0 = SubtractWithBorrow(a._l0, b._l0, ref borrow);
        ulong r1 = SubtractWithBorrow(a._l1, b._l1, ref borrow);
        ulong r2 = SubtractWithBorrow(a._l2, b._l2, ref borrow);
        ulong r3 = SubtractWithBorrow(a._l3, b._l3, ref borrow);
        if (borrow == 0)
        {
            return new FieldElement(r0, r1, r2, r3);
        }

        // The difference wrapped to a − b + 2^256; adding p is subtracting 2^256 − p, and the result is in [0, p).
        borrow = 0;
        r0 = SubtractWithBorrow(r0, Fold, ref borrow);
        r1 = SubtractWithBorrow(r1, 0, ref borrow);
        r2 = SubtractWithBorrow(r2, 0, ref borrow);
        r3 = SubtractWithBorrow(r3, 0, ref borrow);
        return new FieldElement(r0, r1, r2, r3);
    }

    public static FieldElement operator -(in FieldElement a) => Zero - a;

    public static FieldElement operator *(in FieldElement a, in FieldElement b)
    {
        MultiplyWide(a._l0, a._l1, a._l2, a._l3, b._l0, b._l1, b._l2, b._l3, out ulong t0, out ulong t1, out ulong t2, out ulong t3, out ulong t4, out ulong t5, out ulong t6, out ulong t7);
        return Reduce(t0, t1, t2, t3, t4, t5, t6, t7);
    }

    /// <summary>The square: the six cross products are summed once and doubled, 10 limb products instead of 16.</summary>
    public FieldElement Square()
    {
        SquareWide(out ulong t0, out ulong t1, out ulong t2, out ulong t3, out ulong t4, out ulong t5, out ulong t6, out ulong t7);
        return Reduce(t0, t1, t2, t3, t4, t5, t6, t7);
    }

    /// <summary>The inverse by Fermat, a^(p − 2), in constant time; zero maps to zero.</summary>
    public FieldElement Invert()
    {
        // libsecp256k1's addition chain: runs of ones x_k = a^(2^k − 1), then the low bits of p − 2.
        FieldElement x223 = OnesTo223(this, out FieldElement x2, out FieldElement x22);
        FieldElement t = ConstantTime.Multiply(SquareTimes(x223, 23), x22);
        t = ConstantTime.Multiply(SquareTimes(t, 5), this);
        t = ConstantTime.Multiply(SquareTimes(t, 3), x2);
        return ConstantTime.Multiply(SquareTimes(t, 2), this);
    }

    /// <summary>A square root, a^((p + 1) / 4), if there is one (p ≡ 3 mod 4 makes that exponent work).</summary>
    public bool TrySqrt(out FieldElement root)
    {
        FieldElement x223 = OnesTo223(this, out FieldElement x2, out FieldElement x22);
        FieldElement t = ConstantTime.Multiply(SquareTimes(x223, 23), x22);
        t = ConstantTime.Multiply(SquareTimes(t, 6), x2);
        root = SquareTimes(t, 2);

        // For a non-residue the exponent gives the root of −a instead; only squaring back tells them apart.
        return root.Square().Equals(this);
    }

    public bool Equals(FieldElement other) =>
        ((_l0 ^ other._l0) | (_l1 ^ other._l1) | (_l2 ^ other._l2) | (_l3 ^ other._l3)) == 0;

    public override bool Equals(object? obj) => obj is FieldElement other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_l0, _l1, _l2, _l3);

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        Write(bytes);
        return Convert.ToHexString(bytes);
    }

    /// <summary>a^(2^223 − 1), with the intermediate runs a^3 and a^(2^22 − 1) that both exponent chains reuse.</summary>
    private static FieldElement OnesTo223(in FieldElement a, out FieldElement x2, out FieldElement x22)
    {
        x2 = ConstantTime.Multiply(ConstantTime.Square(a), a);
        FieldElement x3 = ConstantTime.Multiply(ConstantTime.Square(x2), a);
        FieldElement x6 = ConstantTime.Multiply(SquareTimes(x3, 3), x3);
        FieldElement x9 = ConstantTime.Multiply(SquareTimes(x6, 3), x3);
        FieldElement x11 = ConstantTime.Multiply(SquareTimes(x9, 2), x2);
        x22 = ConstantTime.Multiply(SquareTimes(x11, 11), x11);
        FieldElement x44 = ConstantTime.Multiply(SquareTimes(x22, 22), x22);
        FieldElement x88 = ConstantTime.Multiply(SquareTimes(x44, 44), x44);
        FieldElement x176 = ConstantTime.Multiply(SquareTimes(x88, 88), x88);
        FieldElement x220 = ConstantTime.Multiply(SquareTimes(x176, 44), x44);
        return ConstantTime.Multiply(SquareTimes(x220, 3), x3);
    }

    /// <summary>a^(2^count), by <paramref name="count"/> constant-time squarings; the count is part of the chain, never of a.</summary>
    private static FieldElement SquareTimes(FieldElement a, int count)
    {
        for (int i = 0; i < count; i++)
        {
            a = ConstantTime.Square(a);
        }

        return a;
    }

    /// <summary>The 512-bit square, t7..t0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SquareWide(out ulong t0, out ulong t1, out ulong t2, out ulong t3, out ulong t4, out ulong t5, out ulong t6, out ulong t7)
    {
        ulong c0 = 0, c1 = 0, c2 = 0;
        MultiplyAdd(_l0, _l1, ref c0, ref c1, ref c2);
        ulong x1 = Shift(ref c0, ref c1, ref c2);
        MultiplyAdd(_l0, _l2, ref c0, ref c1, ref c2);
        ulong x2 = Shift(ref c0, ref c1, ref c2);
        MultiplyAdd(_l0, _l3, ref c0, ref c1, ref c2);
        MultiplyAdd(_l1, _l2, ref c0, ref c1, ref c2);
        ulong x3 = Shift(ref c0, ref c1, ref c2);
        MultiplyAdd(_l1, _l3, ref c0, ref c1, ref c2);
        ulong x4 = Shift(ref c0, ref c1, ref c2);
        MultiplyAdd(_l2, _l3, ref c0, ref c1, ref c2);
        ulong x5 = c0;
        ulong x6 = c1;

        // 2 · cross + the squares of the limbs on the diagonal.
        ulong carry = 0;
        t0 = _l0 * _l0;
        t1 = AddWithCarry(x1 << 1, MultiplyHigh(_l0, _l0), ref carry);
        t2 = AddWithCarry((x2 << 1) | (x1 >> 63), _l1 * _l1, ref carry);
        t3 = AddWithCarry((x3 << 1) | (x2 >> 63), MultiplyHigh(_l1, _l1), ref carry);
        t4 = AddWithCarry((x4 << 1) | (x3 >> 63), _l2 * _l2, ref carry);
        t5 = AddWithCarry((x5 << 1) | (x4 >> 63), MultiplyHigh(_l2, _l2), ref carry);
        t6 = AddWithCarry((x6 << 1) | (x5 >> 63), _l3 * _l3, ref carry);
        t7 = AddWithCarry(x6 >> 63, MultiplyHigh(_l3, _l3), ref carry);
    }

    /// <summary>
    /// Folds the 512-bit t7..t0 into r3..r0 plus a carry of 0 or 1 worth 2^256; when the carry is 1, r is below 2^68.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fold512(
        ulong t0, ulong t1, ulong t2, ulong t3, ulong t4, ulong t5, ulong t6, ulong t7,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        // low + high · (2^32 + 977): each step adds a product below 2^97 and a carry below 2^34, so c stays below 2^35.
        ulong low = t4 * Fold;
        ulong high = MultiplyHigh(t4, Fold);
        r0 = t0 + low;
        ulong c = high + (r0 < low ? 1UL : 0UL);

        low = t5 * Fold;
        high = MultiplyHigh(t5, Fold);
        r1 = t1 + low;
        high += r1 < low ? 1UL : 0UL;
        r1 += c;
        c = high + (r1 < c ? 1UL : 0UL);

        low = t6 * Fold;
        high = MultiplyHigh(t6, Fold);
        r2 = t2 + low;
        high += r2 < low ? 1UL : 0UL;
        r2 += c;
        c = high + (r2 < c ? 1UL : 0UL);

        low = t7 * Fold;
        high = MultiplyHigh(t7, Fold);
        r3 = t3 + low;
        high += r3 < low ? 1UL : 0UL;
        r3 += c;
        c = high + (r3 < c ? 1UL : 0UL);

        // Fold the carry (below 2^35) once more; the product is below 2^68.
        low = c * Fold;
        high = MultiplyHigh(c, Fold);
        r0 += low;
        c = high + (r0 < low ? 1UL : 0UL);
        r1 += c;
        c = r1 < c ? 1UL : 0UL;
        r2 += c;
        c = r2 < c ? 1UL : 0UL;
        r3 += c;
        c = r3 < c ? 1UL : 0UL;

        return c;
    }

    /// <summary>Reduces the 512-bit t7..t0 modulo p, branching on the rare final corrections (variable time).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement Reduce(ulong t0, ulong t1, ulong t2, ulong t3, ulong t4, ulong t5, ulong t6, ulong t7)
    {
        ulong c = Fold512(t0, t1, t2, t3, t4, t5, t6, t7, out ulong r0, out ulong r1, out ulong r2, out ulong r3);

        // Wrapping past 2^256 here leaves a value below 2^68, to which 2^256 mod p is added without further carry.
        if (c != 0)
        {
            return AddSmall(r0, r1, r2, r3, Fold);
        }

        return Canonical(r0, r1, r2, r3);
    }

    /// <summary>Reduces the 512-bit t7..t0 modulo p with the final corrections chosen by masks (constant time).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement ReduceMasked(ulong t0, ulong t1, ulong t2, ulong t3, ulong t4, ulong t5, ulong t6, ulong t7)
    {
        ulong c = Fold512(t0, t1, t2, t3, t4, t5, t6, t7, out ulong r0, out ulong r1, out ulong r2, out ulong r3);

        // The carry's 2^256 mod p is added either way, masked to zero when there is none; r is then below 2^68, so
        // the sum carries at most into r1 and stays below p.
        ulong fold = Fold & (0 - c);
        r0 += fold;
        r1 += r0 < fold ? 1UL : 0UL;
        return SubtractPMasked(r0, r1, r2, r3);
    }

    /// <summary>Adds a value below 2^64 to a number whose sum cannot reach p (callers know the number is small).</summary>
    private static FieldElement AddSmall(ulong r0, ulong r1, ulong r2, ulong r3, ulong small)
    {
        ulong carry = 0;
        r0 = AddWithCarry(r0, small, ref carry);
        r1 = AddWithCarry(r1, 0, ref carry);
        r2 = AddWithCarry(r2, 0, ref carry);
        r3 = AddWithCarry(r3, 0, ref carry);
        return new FieldElement(r0, r1, r2, r3);
    }

    /// <summary>Subtracts p from a number below 2^256 if it is at least p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement Canonical(ulong r0, ulong r1, ulong r2, ulong r3) =>
        // A number in [p, 2^256) has three all-ones high limbs, so subtracting p only touches the low limb.
        IsAtLeastP(r0, r1, r2, r3) ? new FieldElement(r0 - P0, 0, 0, 0) : new FieldElement(r0, r1, r2, r3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsAtLeastP(ulong r0, ulong r1, ulong r2, ulong r3) =>
        (r1 & r2 & r3) == ulong.MaxValue && r0 >= P0;

    /// <summary>
    /// r − p if r is at least p, else r, for r below 2^256, by a mask: p's three high limbs are all ones, so r ≥ p
    /// exactly when r's are too and r0 + (2^256 − p) carries, and r − p is then that sum's low limb with zeros above.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement SubtractPMasked(ulong r0, ulong r1, ulong r2, ulong r3)
    {
        ulong t0 = r0 + Fold;
        ulong lowCarries = t0 < r0 ? 1UL : 0UL;
        ulong notAllOnes = ~(r1 & r2 & r3);
        ulong highAllOnes = ((notAllOnes | (0 - notAllOnes)) >> 63) ^ 1;
        ulong subtract = 0 - (lowCarries & highAllOnes);
        return new FieldElement((t0 & subtract) | (r0 & ~subtract), r1 & ~subtract, r2 & ~subtract, r3 & ~subtract);
    }

    /// <summary>
    /// carry·2^256 + r reduced below p, for a value below 2p, by a mask: p is subtracted, by adding 2^256 − p, exactly
    /// when that addition or the incoming carry goes past 2^256.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement CanonicalMasked(ulong r0, ulong r1, ulong r2, ulong r3, ulong carry)
    {
        ulong wrap = 0;
        ulong t0 = AddWithCarry(r0, Fold, ref wrap);
        ulong t1 = AddWithCarry(r1, 0, ref wrap);
        ulong t2 = AddWithCarry(r2, 0, ref wrap);
        ulong t3 = AddWithCarry(r3, 0, ref wrap);
        ulong subtract = 0 - (wrap | carry);
        return new FieldElement(
            (t0 & subtract) | (r0 & ~subtract),
            (t1 & subtract) | (r1 & ~subtract),
            (t2 & subtract) | (r2 & ~subtract),
            (t3 & subtract) | (r3 & ~subtract));
    }

    /// <summary>
    /// The arithmetic for secrets: the operators' values, with no branch and no memory access that depends on them.
    /// </summary>
    /// <remarks>
    /// The JIT's x64 output for these has no conditional jump at all (checked with <c>DOTNET_JitDisasm</c>; see
    /// docs/constant-time.md). <see cref="ProjectivePoint"/> is built on them.
    /// </remarks>
    public static class ConstantTime
    {
        public static FieldElement Add(in FieldElement a, in FieldElement b)
        {
            ulong carry = 0;
            ulong r0 = AddWithCarry(a._l0, b._l0, ref carry);
            ulong r1 = AddWithCarry(a._l1, b._l1, ref carry);
            ulong r2 = AddWithCarry(a._l2, b._l2, ref carry);
            ulong r3 = AddWithCarry(a._l3, b._l3, ref carry);
            return CanonicalMasked(r0, r1, r2, r3, carry);
        }

        public static FieldElement Subtract(in FieldElement a, in FieldElement b)
        {
            ulong borrow = 0;
            ulong r0 = SubtractWithBorrow(a._l0, b._l0, ref borrow);
            ulong r1 = SubtractWithBorrow(a._l1, b._l1, ref borrow);
            ulong r2 = SubtractWithBorrow(a._l2, b._l2, ref borrow);
            ulong r3 = SubtractWithBorrow(a._l3, b._l3, ref borrow);

            // A wrapped difference is a − b + 2^256; adding p is subtracting 2^256 − p, which is done either way, masked
            // to zero when nothing wrapped. The result is in [0, p) without a further borrow.
            ulong fold = Fold & (0 - borrow);
            borrow = 0;
            r0 = SubtractWithBorrow(r0, fold, ref borrow);
            r1 = SubtractWithBorrow(r1, 0, ref borrow);
            r2 = SubtractWithBorrow(r2, 0, ref borrow);
            r3 = SubtractWithBorrow(r3, 0, ref borrow);
            return new FieldElement(r0, r1, r2, r3);
        }

        public static FieldElement Multiply(in FieldElement a, in FieldElement b)
        {
            MultiplyWide(a._l0, a._l1, a._l2, a._l3, b._l0, b._l1, b._l2, b._l3, out ulong t0, out ulong t1, out ulong t2, out ulong t3, out ulong t4, out ulong t5, out ulong t6, out ulong t7);
            return ReduceMasked(t0, t1, t2, t3, t4, t5, t6, t7);
        }

        public static FieldElement Square(in FieldElement a)
        {
            a.SquareWide(out ulong t0, out ulong t1, out ulong t2, out ulong t3, out ulong t4, out ulong t5, out ulong t6, out ulong t7);
            return ReduceMasked(t0, t1, t2, t3, t4, t5, t6, t7);
        }

        /// <summary>
        /// The product with a factor below 2^32, such as 3·b = 21 in the complete addition formulas: four limb
        /// products and one fold instead of a full multiplication.
        /// </summary>
        public static FieldElement MultiplySmall(in FieldElement a, uint factor)
        {
            ulong carry = 0;
            ulong t0 = a._l0 * factor;
            ulong t1 = AddWithCarry(a._l1 * factor, MultiplyHigh(a._l0, factor), ref carry);
            ulong t2 = AddWithCarry(a._l2 * factor, MultiplyHigh(a._l1, factor), ref carry);
            ulong t3 = AddWithCarry(a._l3 * factor, MultiplyHigh(a._l2, factor), ref carry);
            ulong t4 = MultiplyHigh(a._l3, factor) + carry;

            // t4 is below 2^32 + 1, so t4·(2^256 mod p) is below 2^66 and the sum wraps past 2^256 at most once.
            ulong low = t4 * Fold;
            ulong high = MultiplyHigh(t4, Fold);
            carry = 0;
            t0 = AddWithCarry(t0, low, ref carry);
            t1 = AddWithCarry(t1, high, ref carry);
            t2 = AddWithCarry(t2, 0, ref carry);
            t3 = AddWithCarry(t3, 0, ref carry);
            return CanonicalMasked(t0, t1, t2, t3, carry);
        }
    }
}
