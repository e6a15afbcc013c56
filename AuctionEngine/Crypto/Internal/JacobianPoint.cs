namespace AuctionEngine.Crypto.Internal;

/// <summary>
/// A secp256k1 point in Jacobian coordinates, (X / Z², Y / Z³), so that adding and doubling need no inversion;
/// Z = 0 is the point at infinity.
/// </summary>
/// <remarks>
/// The formulas are those for a = 0 from the Explicit-Formulas Database (dbl-2009-l, add-2007-bl without the
/// Z1 = Z2 shortcuts, madd for an affine second operand). Variable time: the additions branch on the identity and on
/// equal x, so only <see cref="CurveMultiplication"/>, on public values, uses them; secrets take
/// <see cref="ProjectivePoint"/>'s complete formulas.
/// </remarks>
internal readonly struct JacobianPoint
{
    private readonly FieldElement _x;
    private readonly FieldElement _y;
    private readonly FieldElement _z;

    public JacobianPoint(in AffinePoint p)
    {
        _x = p.X;
        _y = p.Y;
        _z = FieldElement.One;
    }

    private JacobianPoint(in FieldElement x, in FieldElement y, in FieldElement z)
    {
        _x = x;
        _y = y;
        _z = z;
    }

    public static JacobianPoint Infinity => default;

    public FieldElement X => _x;

    public FieldElement Y => _y;

    public FieldElement Z => _z;

    public bool IsInfinity => _z.IsZero;

    public static JacobianPoint operator -(in JacobianPoint p) => new(p._x, -p._y, p._z);

    /// <summary>λ·P, by the endomorphism (x, y) ↦ (β·x, y); X / Z² scales with X.</summary>
    public JacobianPoint MultiplyByLambda() => new(_x * AffinePoint.Beta, _y, _z);

    public JacobianPoint Double()
    {
        // secp256k1 has no point of order two (its order is an odd prime), so Y ≠ 0 and 2P is infinity only for P = ∞,
        // which Z3 = 2·Y·Z = 0 reproduces without a branch.
        FieldElement a = _x.Square();
        FieldElement b = _y.Square();
        FieldElement c = b.Square();
        FieldElement xb = _x + b;
        FieldElement d = xb.Square() - a - c;
        d += d;
        FieldElement e = a + a + a;
        FieldElement f = e.Square();
        FieldElement x3 = f - (d + d);
        FieldElement c8 = c + c;
        c8 += c8;
        c8 += c8;
        FieldElement y3 = (e * (d - x3)) - c8;
        FieldElement z3 = _y * _z;
        return new JacobianPoint(x3, y3, z3 + z3);
    }

    public JacobianPoint Add(in JacobianPoint q)
    {
        if (IsInfinity)
        {
            return q;
        }

        if (q.IsInfinity)
        {
            return this;
        }

        FieldElement z1z1 = _z.Square();
        FieldElement z2z2 = q._z.Square();
        FieldElement u1 = _x * z2z2;
        FieldElement u2 = q._x * z1z1;
        FieldElement s1 = _y * q._z * z2z2;
        FieldElement s2 = q._y * _z * z1z1;
        FieldElement h = u2 - u1;
        FieldElement r = s2 - s1;
        if (h.IsZero)
        {
            // Equal x: the same point (the formulas would divide by zero) or its negation.
            return r.IsZero ? Double() : Infinity;
        }

        FieldElement hh = h.Square();
        FieldElement hhh = h * hh;
        FieldElement v = u1 * hh;
        FieldElement x3 = r.Square() - hhh - (v + v);
        FieldElement y3 = (r * (v - x3)) - (s1 * hhh);
        FieldElement z3 = _z * q._z * h;
        return new JacobianPoint(x3, y3, z3);
    }

    public JacobianPoint Add(in AffinePoint q)
    {
        if (IsInfinity)
        {
            return new JacobianPoint(q);
        }

        FieldElement z1z1 = _z.Square();
        FieldElement u2 = q.X * z1z1;
        FieldElement s2 = q.Y * _z * z1z1;
        FieldElement h = u2 - _x;
        FieldElement r = s2 - _y;
        if (h.IsZero)
        {
            return r.IsZero ? Double() : Infinity;
        }

        FieldElement hh = h.Square();
        FieldElement hhh = h * hh;
        FieldElement v = _x * hh;
        FieldElement x3 = r.Square() - hhh - (v + v);
        FieldElement y3 = (r * (v - x3)) - (_y * hhh);
        return new JacobianPoint(x3, y3, _z * h);
    }

    /// <summary>
    /// This point plus an affine point that is neither it nor its negation, with the factor Z3 / Z1 the sum's Z
    /// gained, which lets a table of such sums be brought to one common Z without an inversion.
    /// </summary>
    public JacobianPoint AddDistinct(in AffinePoint q, out FieldElement zRatio)
    {
        System.Diagnostics.Debug.Assert(!IsInfinity, "The table starts from a finite point.");
        FieldElement z1z1 = _z.Square();
        FieldElement h = (q.X * z1z1) - _x;
        FieldElement r = (q.Y * _z * z1z1) - _y;
        System.Diagnostics.Debug.Assert(!h.IsZero, "Odd multiples of a point never share x with its double.");
        FieldElement hh = h.Square();
        FieldElement hhh = h * hh;
        FieldElement v = _x * hh;
        FieldElement x3 = r.Square() - hhh - (v + v);
        FieldElement y3 = (r * (v - x3)) - (_y * hhh);
        zRatio = h;
        return new JacobianPoint(x3, y3, _z * h);
    }

    /// <summary>
    /// The same coordinates with Z multiplied by <paramref name="factor"/>: how a point computed on the curve
    /// scaled by (factor², factor³) reads on the original one.
    /// </summary>
    public JacobianPoint ScaleZ(in FieldElement factor) => new(_x, _y, _z * factor);

    /// <summary>The affine point, or false for the point at infinity.</summary>
    public bool TryToAffine(out AffinePoint affine)
    {
        affine = default;
        if (IsInfinity)
        {
            return false;
        }

        FieldElement zInverse = _z.Invert();
        FieldElement zInverse2 = zInverse.Square();
        affine = new AffinePoint(_x * zInverse2, _y * zInverse2 * zInverse);
        return true;
    }
}
