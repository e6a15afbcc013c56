using System.Runtime.CompilerServices;

namespace AuctionEngine.Crypto.Internal;

/// <summary>
/// A secp256k1 point in homogeneous projective coordinates, (X / Z, Y / Z), with the identity as (0 : 1 : 0), for
/// constant-time arithmetic on secrets.
/// </summary>
/// <remarks>
/// <para>
/// Addition and doubling are the complete formulas of Renes, Costello and Batina, "Complete addition formulas for
/// prime order elliptic curves" (EUROCRYPT 2016), for a = 0: Algorithm 7 (<see cref="Add(in ProjectivePoint)"/>),
/// Algorithm 8 (<see cref="Add(in AffinePoint)"/>, the second point affine) and Algorithm 9
/// (<see cref="Double"/>), with 3·b = 21. They give the right answer for every pair of points of a curve of odd
/// order, the identity and P + P and P + (−P) included, so they need no branch at all: each is one straight line
/// of field operations, and <see cref="FieldElement"/>'s operations are constant time.
/// </para>
/// <para>
/// They cost more than <see cref="JacobianPoint"/>'s formulas (12 multiplications for an addition against 11 to 16
/// with branches, 8 for a doubling against 7), which is why the variable-time code on public data keeps those.
/// </para>
/// </remarks>
internal readonly struct ProjectivePoint
{
    // 3·b for y² = x³ + 7.
    private const uint B3 = 21;

    private readonly FieldElement _x;
    private readonly FieldElement _y;
    private readonly FieldElement _z;

    public ProjectivePoint(in AffinePoint p)
    {
        _x = p.X;
        _y = p.Y;
        _z = FieldElement.One;
    }

    private ProjectivePoint(in FieldElement x, in FieldElement y, in FieldElement z)
    {
        _x = x;
        _y = y;
        _z = z;
    }

    /// <summary>The identity, (0 : 1 : 0).</summary>
    public static ProjectivePoint Identity => new(FieldElement.Zero, FieldElement.One, FieldElement.Zero);

    public FieldElement X => _x;

    public FieldElement Y => _y;

    public FieldElement Z => _z;

    /// <summary><paramref name="ifSet"/> where <paramref name="mask"/> is all ones, <paramref name="ifClear"/> where it is zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ProjectivePoint Select(ulong mask, in ProjectivePoint ifSet, in ProjectivePoint ifClear) => new(
        FieldElement.Select(mask, ifSet._x, ifClear._x),
        FieldElement.Select(mask, ifSet._y, ifClear._y),
        FieldElement.Select(mask, ifSet._z, ifClear._z));

    /// <summary>This point plus <paramref name="q"/>, for any two points (RCB16 Algorithm 7: 12M + 2·m₃ᵦ).</summary>
    public ProjectivePoint Add(in ProjectivePoint q)
    {
        FieldElement t0 = _x * q._x;
        FieldElement t1 = _y * q._y;
        FieldElement t2 = _z * q._z;
        FieldElement t3 = (_x + _y) * (q._x + q._y);
        t3 -= t0 + t1;
        FieldElement t4 = (_y + _z) * (q._y + q._z);
        t4 -= t1 + t2;
        FieldElement y3 = (_x + _z) * (q._x + q._z);
        y3 -= t0 + t2;
        t0 += t0 + t0;
        t2 = t2.MultiplySmall(B3);
        FieldElement z3 = t1 + t2;
        t1 -= t2;
        y3 = y3.MultiplySmall(B3);
        FieldElement x3 = (t3 * t1) - (t4 * y3);
        y3 = (t1 * z3) + (y3 * t0);
        z3 = (z3 * t4) + (t0 * t3);
        return new ProjectivePoint(x3, y3, z3);
    }

    /// <summary>
    /// This point plus the affine point <paramref name="q"/>, for any first point (RCB16 Algorithm 8: 11M + 2·m₃ᵦ). An
    /// affine point cannot be the identity; a caller adding "nothing" selects the unchanged point afterwards.
    /// </summary>
    public ProjectivePoint Add(in AffinePoint q)
    {
        FieldElement t0 = _x * q.X;
        FieldElement t1 = _y * q.Y;
        FieldElement t3 = (q.X + q.Y) * (_x + _y);
        t3 -= t0 + t1;
        FieldElement t4 = (q.Y * _z) + _y;
        FieldElement y3 = (q.X * _z) + _x;
        t0 += t0 + t0;
        FieldElement t2 = _z.MultiplySmall(B3);
        FieldElement z3 = t1 + t2;
        t1 -= t2;
        y3 = y3.MultiplySmall(B3);
        FieldElement x3 = (t3 * t1) - (t4 * y3);
        y3 = (t1 * z3) + (y3 * t0);
        z3 = (z3 * t4) + (t0 * t3);
        return new ProjectivePoint(x3, y3, z3);
    }

    /// <summary>2·this, for any point (RCB16 Algorithm 9: 6M + 2S + 1·m₃ᵦ).</summary>
    public ProjectivePoint Double()
    {
        FieldElement t0 = _y.Square();
        FieldElement z3 = t0 + t0;
        z3 += z3;
        z3 += z3;
        FieldElement t1 = _y * _z;
        FieldElement t2 = _z.Square().MultiplySmall(B3);
        FieldElement x3 = t2 * z3;
        FieldElement y3 = t0 + t2;
        z3 = t1 * z3;
        t0 -= t2 + t2 + t2;
        y3 = x3 + (t0 * y3);
        x3 = t0 * (_x * _y);
        return new ProjectivePoint(x3 + x3, y3, z3);
    }

    /// <summary>
    /// The affine point, with a constant-time inversion of Z; false for the identity, whose "affine" coordinates come
    /// out as (0, 0). Whether the point is the identity is the one bit the caller learns.
    /// </summary>
    public bool TryToAffine(out AffinePoint affine)
    {
        FieldElement zInverse = _z.Invert();
        affine = new AffinePoint(_x * zInverse, _y * zInverse);
        return !_z.IsZero;
    }
}
