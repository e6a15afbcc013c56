using System.Runtime.CompilerServices;
using Ct = AuctionEngine.Crypto.Internal.FieldElement.ConstantTime;

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
/// of <see cref="FieldElement.ConstantTime"/> operations (<c>Ct</c> below), written step by step as the paper
/// numbers them.
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

    /// <summary><paramref name="ifSet"/> where <paramref name="mask"/> is all ones, <paramref name="ifClear"/> where it is zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ProjectivePoint Select(ulong mask, in ProjectivePoint ifSet, in ProjectivePoint ifClear) => new(
        FieldElement.Select(mask, ifSet._x, ifClear._x),
        FieldElement.Select(mask, ifSet._y, ifClear._y),
        FieldElement.Select(mask, ifSet._z, ifClear._z));

    /// <summary>This point plus <paramref name="q"/>, for any two points (RCB16 Algorithm 7: 12M + 2·m₃ᵦ).</summary>
    public ProjectivePoint Add(in ProjectivePoint q)
    {
        FieldElement t0 = Ct.Multiply(_x, q._x);                                  // 1
        FieldElement t1 = Ct.Multiply(_y, q._y);                                  // 2
        FieldElement t2 = Ct.Multiply(_z, q._z);                                  // 3
        FieldElement t3 = Ct.Multiply(Ct.Add(_x, _y), Ct.Add(q._x, q._y));        // 4–6
        t3 = Ct.Subtract(t3, Ct.Add(t0, t1));                                     // 7–8
        FieldElement t4 = Ct.Multiply(Ct.Add(_y, _z), Ct.Add(q._y, q._z));        // 9–11
        t4 = Ct.Subtract(t4, Ct.Add(t1, t2));                                     // 12–13
        FieldElement y3 = Ct.Multiply(Ct.Add(_x, _z), Ct.Add(q._x, q._z));        // 14–16
        y3 = Ct.Subtract(y3, Ct.Add(t0, t2));                                     // 17–18
        t0 = Ct.Add(t0, Ct.Add(t0, t0));                                          // 19–20
        t2 = Ct.MultiplySmall(t2, B3);                                            // 21
        FieldElement z3 = Ct.Add(t1, t2);                                         // 22
        t1 = Ct.Subtract(t1, t2);                                                 // 23
        y3 = Ct.MultiplySmall(y3, B3);                                            // 24
        FieldElement x3 = Ct.Subtract(Ct.Multiply(t3, t1), Ct.Multiply(t4, y3));  // 25–27
        y3 = Ct.Add(Ct.Multiply(t1, z3), Ct.Multiply(y3, t0));                    // 28–30
        z3 = Ct.Add(Ct.Multiply(z3, t4), Ct.Multiply(t0, t3));                    // 31–33
        return new ProjectivePoint(x3, y3, z3);
    }

    /// <summary>
    /// This point plus the affine point <paramref name="q"/>, for any first point (RCB16 Algorithm 8: 11M + 2·m₃ᵦ). An
    /// affine point cannot be the identity; a caller adding "nothing" selects the unchanged point afterwards.
    /// </summary>
    public ProjectivePoint Add(in AffinePoint q)
    {
        FieldElement t0 = Ct.Multiply(_x, q.X);                                   // 1
        FieldElement t1 = Ct.Multiply(_y, q.Y);                                   // 2
        FieldElement t3 = Ct.Multiply(Ct.Add(q.X, q.Y), Ct.Add(_x, _y));          // 3–5
        t3 = Ct.Subtract(t3, Ct.Add(t0, t1));                                     // 6–7
        FieldElement t4 = Ct.Add(Ct.Multiply(q.Y, _z), _y);                       // 8–9
        FieldElement y3 = Ct.Add(Ct.Multiply(q.X, _z), _x);                       // 10–11
        t0 = Ct.Add(t0, Ct.Add(t0, t0));                                          // 12–13
        FieldElement t2 = Ct.MultiplySmall(_z, B3);                               // 14
        FieldElement z3 = Ct.Add(t1, t2);                                         // 15
        t1 = Ct.Subtract(t1, t2);                                                 // 16
        y3 = Ct.MultiplySmall(y3, B3);                                            // 17
        FieldElement x3 = Ct.Subtract(Ct.Multiply(t3, t1), Ct.Multiply(t4, y3));  // 18–20
        y3 = Ct.Add(Ct.Multiply(t1, z3), Ct.Multiply(y3, t0));                    // 21–23
        z3 = Ct.Add(Ct.Multiply(z3, t4), Ct.Multiply(t0, t3));                    // 24–26
        return new ProjectivePoint(x3, y3, z3);
    }

    /// <summary>2·this, for any point (RCB16 Algorithm 9: 6M + 2S + 1·m₃ᵦ).</summary>
    public ProjectivePoint Double()
    {
        FieldElement t0 = Ct.Square(_y);                                          // 1
        FieldElement z3 = Ct.Add(t0, t0);                                         // 2
        z3 = Ct.Add(z3, z3);                                                      // 3
        z3 = Ct.Add(z3, z3);                                                      // 4
        FieldElement t1 = Ct.Multiply(_y, _z);                                    // 5
        FieldElement t2 = Ct.MultiplySmall(Ct.Square(_z), B3);                    // 6–7
        FieldElement x3 = Ct.Multiply(t2, z3);                                    // 8
        FieldElement y3 = Ct.Add(t0, t2);                                         // 9
        z3 = Ct.Multiply(t1, z3);                                                 // 10
        t0 = Ct.Subtract(t0, Ct.Add(t2, Ct.Add(t2, t2)));                         // 11–13
        y3 = Ct.Add(x3, Ct.Multiply(t0, y3));                                     // 14–15
        x3 = Ct.Multiply(t0, Ct.Multiply(_x, _y));                                // 16–17
        return new ProjectivePoint(Ct.Add(x3, x3), y3, z3);                       // 18
    }

    /// <summary>
    /// The affine point, with a constant-time inversion of Z; false for the identity, whose "affine" coordinates come
    /// out as (0, 0). Whether the point is the identity is the one bit the caller learns.
    /// </summary>
    public bool TryToAffine(out AffinePoint affine)
    {
        FieldElement zInverse = _z.Invert();
        affine = new AffinePoint(Ct.Multiply(_x, zInverse), Ct.Multiply(_y, zInverse));
        return !_z.IsZero;
    }
}
