using AuctionEngine.Crypto.Internal;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math.EC;
using static AuctionEngine.Tests.Support.Secp256k1Values;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace AuctionEngine.Tests.Crypto;

/// <summary>
/// The engine's own secp256k1 field, point and multiplication code against BouncyCastle's, on random values and on
/// the edges where carries, reductions and special cases live: 0, 1, p − 1, n − 1, equal x, P + P, P + (−P), ∞.
/// </summary>
[TestFixture]
public sealed class Secp256k1ArithmeticTests
{
    private static readonly ECCurve Curve = CustomNamedCurves.GetByName("secp256k1").Curve;
    private static readonly ECPoint G = CustomNamedCurves.GetByName("secp256k1").G;
    private static readonly BigInteger P = Curve.Field.Characteristic;
    private static readonly BigInteger N = Curve.Order;
    private static readonly BigInteger TwoTo256 = BigInteger.One.ShiftLeft(256);

    private static readonly Gen<BigInteger> Any256 =
        Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32).Select(bytes => new BigInteger(1, bytes));

    /// <summary>Field values, half of them from the edges: near 0, near p, and limb boundaries.</summary>
    private static readonly Arbitrary<BigInteger> FieldValues = Arb.From(Gen.Frequency(
        (1, Gen.Elements(
            BigInteger.Zero, BigInteger.One, BigInteger.Two, P.Subtract(BigInteger.One), P.Subtract(BigInteger.Two),
            P.ShiftRight(1), BigInteger.One.ShiftLeft(64).Subtract(BigInteger.One), BigInteger.One.ShiftLeft(64),
            BigInteger.One.ShiftLeft(128), BigInteger.One.ShiftLeft(255), P.Subtract(BigInteger.One.ShiftLeft(64)),
            TwoTo256.Subtract(BigInteger.One.ShiftLeft(33)), BigInteger.ValueOf(0x1000003D1), P.Subtract(BigInteger.ValueOf(0x1000003D1)))),
        (1, Any256.Select(x => x.Mod(P)))));

    /// <summary>Scalars from the edges (0, 1, 2, n − 1, n, 2^256 − 1, 2^256 − n) and at random, some of them small.</summary>
    private static readonly Arbitrary<BigInteger> Scalars = Arb.From(Gen.Frequency(
        (1, Gen.Elements(
            BigInteger.Zero, BigInteger.One, BigInteger.Two, BigInteger.Three, N.Subtract(BigInteger.One),
            N.Subtract(BigInteger.Two), N, N.Add(BigInteger.One), TwoTo256.Subtract(BigInteger.One), BigInteger.One.ShiftLeft(255),
            TwoTo256.Subtract(N), N.ShiftRight(1), BigInteger.One.ShiftLeft(128).Subtract(BigInteger.One))),
        (1, Any256.Select(x => x.ShiftRight(128))),
        (3, Any256)));

    /// <summary>Points k·G for non-zero k mod n, some of them from the edges.</summary>
    private static readonly Arbitrary<BigInteger> PointMultiples = Arb.From(Scalars.Generator.Where(k => k.Mod(N).SignValue != 0));

    [Test]
    public void ReadsOnlyCanonicalFieldElements()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(FieldElement.TryRead(Bytes(P.Subtract(BigInteger.One)), out _), Is.True);
            Assert.That(FieldElement.TryRead(Bytes(P), out _), Is.False);
            Assert.That(FieldElement.TryRead(Bytes(P.Add(BigInteger.One)), out _), Is.False);
            Assert.That(FieldElement.TryRead(Bytes(TwoTo256.Subtract(BigInteger.One)), out _), Is.False);
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property FieldOperationsMatchBouncyCastle() => Prop.ForAll(FieldValues, FieldValues, (a, b) =>
    {
        FieldElement x = Field(a);
        FieldElement y = Field(b);
        return Same(x + y, a.Add(b).Mod(P)) && Same(x - y, a.Subtract(b).Mod(P)) && Same(-x, a.Negate().Mod(P)) &&
            Same(x * y, a.Multiply(b).Mod(P)) && Same(x.Square(), a.Multiply(a).Mod(P)) &&
            x.IsOdd == a.TestBit(0) && x.IsZero == (a.SignValue == 0) && x.Equals(y) == a.Equals(b) &&
            ToBigInteger(x).Equals(a);
    });

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property ScalarOperationsMatchBouncyCastle() => Prop.ForAll(Scalars, Scalars, (a, b) =>
    {
        Scalar x = Scalar.Reduce(Bytes(a));
        Scalar y = Scalar.Reduce(Bytes(b));
        BigInteger am = a.Mod(N);
        BigInteger inverse = am.SignValue == 0 ? BigInteger.Zero : am.ModInverse(N);
        return x.ToBigInteger().Equals(am) && Scalar.Reduce(a).Equals(x) && x.IsZero == (am.SignValue == 0) &&
            (x * y).ToBigInteger().Equals(a.Multiply(b).Mod(N)) && (x + y).ToBigInteger().Equals(a.Add(b).Mod(N)) &&
            (-x).ToBigInteger().Equals(a.Negate().Mod(N)) &&
            x.Invert().ToBigInteger().Equals(inverse) && x.InvertVariableTime().ToBigInteger().Equals(inverse) &&
            (x.HighMask() == ulong.MaxValue) == (am.CompareTo(N.ShiftRight(1)) > 0) && x.HighMask() is 0 or ulong.MaxValue &&
            Enumerable.Range(0, 64).All(i => x.Nibble(i) == (am.ShiftRight(4 * i).IntValue & 15)) &&
            Scalar.Select(ulong.MaxValue, x, y).Equals(x) && Scalar.Select(0, x, y).Equals(y);
    });

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property SecretsAreReadAsValidExactlyInOneToNMinusOne() => Prop.ForAll(Scalars, a =>
    {
        // Scalars holds values from 0 to 2^256 − 1, the edges 0, 1, n − 1, n, n + 1 and 2^256 − 1 among them.
        ulong mask = Scalar.ReadSecret(Bytes(a), out Scalar value);
        bool valid = a.SignValue > 0 && a.CompareTo(N) < 0;
        return mask == (valid ? ulong.MaxValue : 0) && (!valid || value.ToBigInteger().Equals(a));
    });

    [Test]
    public void HighMeansAboveHalfTheOrder()
    {
        BigInteger half = N.ShiftRight(1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Scalar.Reduce(Bytes(half)).HighMask(), Is.Zero);
            Assert.That(Scalar.Reduce(Bytes(half.Add(BigInteger.One))).HighMask(), Is.EqualTo(ulong.MaxValue));
            Assert.That(Scalar.Reduce(Bytes(N.Subtract(BigInteger.One))).HighMask(), Is.EqualTo(ulong.MaxValue));
            Assert.That(Scalar.Reduce(Bytes(BigInteger.Zero)).HighMask(), Is.Zero);
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property ConstantTimeFieldOperationsMatchBouncyCastle() =>
        Prop.ForAll(FieldValues, FieldValues, Arb.From(Gen.Elements(0u, 1u, 7u, 21u, 0xFFFFFFFFu)), (a, b, factor) =>
        {
            FieldElement x = Field(a);
            FieldElement y = Field(b);
            return Same(FieldElement.ConstantTime.Add(x, y), a.Add(b).Mod(P)) &&
                Same(FieldElement.ConstantTime.Subtract(x, y), a.Subtract(b).Mod(P)) &&
                Same(FieldElement.ConstantTime.Multiply(x, y), a.Multiply(b).Mod(P)) &&
                Same(FieldElement.ConstantTime.Square(x), a.Multiply(a).Mod(P)) &&
                Same(FieldElement.ConstantTime.MultiplySmall(x, factor), a.Multiply(BigInteger.ValueOf(factor)).Mod(P)) &&
                FieldElement.Select(ulong.MaxValue, x, y).Equals(x) && FieldElement.Select(0, x, y).Equals(y) &&
                x.LowBit == (a.TestBit(0) ? 1UL : 0UL);
        });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property InversionMatchesBouncyCastle() => Prop.ForAll(FieldValues, a =>
        a.SignValue == 0 ? Field(a).Invert().IsZero : Same(Field(a).Invert(), a.ModInverse(P)));

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property SquareRootsExistExactlyWhereBouncyCastleFindsThem() => Prop.ForAll(FieldValues, a =>
    {
        ECFieldElement? expected = Curve.FromBigInteger(a).Sqrt();
        bool found = Field(a).TrySqrt(out FieldElement root);
        return found == (expected is not null) && (!found || Same(root.Square(), a));
    });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property LiftingAnXGivesBouncyCastlesPoint() => Prop.ForAll(FieldValues, Arb.From(Gen.Elements(false, true)), (x, odd) =>
    {
        ECFieldElement fx = Curve.FromBigInteger(x);
        ECFieldElement? y = fx.Square().Multiply(fx).Add(Curve.B).Sqrt();
        bool lifted = AffinePoint.TryLift(Field(x), odd, out AffinePoint point);
        if (y is null)
        {
            return !lifted;
        }

        BigInteger expectedY = y.TestBitZero() == odd ? y.ToBigInteger() : y.Negate().ToBigInteger();
        return lifted && Same(point.X, x) && Same(point.Y, expectedY);
    });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property DecodingAcceptsExactlyTheCurvesPoints() => Prop.ForAll(PointMultiples, Arb.From(Gen.Choose(0, 3)), (k, tamper) =>
    {
        byte[] encoded = G.Multiply(k).Normalize().GetEncoded(false);
        switch (tamper)
        {
            case 1:
                encoded[64] ^= 1;
                break;
            case 2:
                Bytes(P.Add(new BigInteger(1, encoded.AsSpan(1, 32).ToArray()).Mod(BigInteger.ValueOf(1000)))).CopyTo(encoded, 1);
                break;
            case 3:
                encoded[0] = 0x06;
                break;
        }

        bool decoded = AffinePoint.TryDecodeUncompressed(encoded, out AffinePoint point);
        var written = new byte[AffinePoint.UncompressedLength];
        point.WriteUncompressed(written);
        return tamper == 0 ? decoded && written.AsSpan().SequenceEqual(encoded) : !decoded;
    });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property PointAdditionMatchesBouncyCastle() => Prop.ForAll(PointMultiples, PointMultiples, (a, b) =>
    {
        ECPoint pa = G.Multiply(a);
        ECPoint pb = G.Multiply(b);

        // Jacobian inputs with Z ≠ 1 (as the multiplication leaves them) as well as affine ones.
        JacobianPoint ja = CurveMultiplication.Multiply(AffinePoint.Generator, a);
        JacobianPoint jb = CurveMultiplication.Multiply(AffinePoint.Generator, b);
        AffinePoint ab = Affine(pb);
        return Same(ja.Add(jb), pa.Add(pb)) && Same(ja.Add(ab), pa.Add(pb)) && Same(ja.Double(), pa.Twice()) &&
            Same(ja.Add(ja), pa.Twice()) && Same(ja.Add(Affine(pa)), pa.Twice()) &&
            ja.Add(-ja).IsInfinity && ja.Add(-Affine(pa)).IsInfinity &&
            Same(ja.Add(JacobianPoint.Infinity), pa) && Same(JacobianPoint.Infinity.Add(ja), pa) &&
            Same(JacobianPoint.Infinity.Add(ab), pb) && JacobianPoint.Infinity.Double().IsInfinity;
    });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property AdditionOfDistinctPointsReportsItsZRatio() => Prop.ForAll(PointMultiples, PointMultiples, (a, b) =>
    {
        ECPoint pa = G.Multiply(a);
        ECPoint pb = G.Multiply(b);
        JacobianPoint ja = CurveMultiplication.Multiply(AffinePoint.Generator, a);
        if (pa.Normalize().AffineXCoord.Equals(pb.Normalize().AffineXCoord))
        {
            return true;
        }

        JacobianPoint sum = ja.AddDistinct(Affine(pb), out FieldElement ratio);
        return Same(sum, pa.Add(pb)) && sum.Z.Equals(ja.Z * ratio);
    });

    [Test]
    public void AddsPointsWithEqualXThatAreNegatives()
    {
        // x is shared by P and −P only; the other points with that x do not exist on a curve of prime order.
        ECPoint p = G.Multiply(BigInteger.ValueOf(12345)).Normalize();
        var jp = new JacobianPoint(Affine(p));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(jp.Add(-jp).IsInfinity, Is.True);
            Assert.That(jp.Add(-Affine(p)).IsInfinity, Is.True);
            Assert.That(jp.Add(jp).TryToAffine(out AffinePoint twice) && Matches(twice, p.Twice()), Is.True);
            Assert.That(JacobianPoint.Infinity.TryToAffine(out _), Is.False);
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property MultiplicationMatchesBouncyCastle() => Prop.ForAll(PointMultiples, Scalars, (a, k) =>
    {
        ECPoint point = G.Multiply(a).Normalize();
        return Same(CurveMultiplication.Multiply(Affine(point), k), point.Multiply(k.Mod(N)));
    });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property ShamirMultiplicationMatchesBouncyCastle() => Prop.ForAll(PointMultiples, Scalars, Scalars, (a, u1, u2) =>
    {
        ECPoint point = G.Multiply(a).Normalize();
        ECPoint expected = ECAlgorithms.SumOfTwoMultiplies(G, u1.Mod(N), point, u2.Mod(N));
        return Same(CurveMultiplication.MultiplyAddBase(u1, Affine(point), u2), expected);
    });

    [FsCheck.NUnit.Property(MaxTest = 50)]
    public Property ShamirMultiplicationReachesInfinity() => Prop.ForAll(PointMultiples, Scalars, (a, u2) =>
    {
        // u1·G + u2·(a·G) = ∞ for u1 = −a·u2.
        ECPoint point = G.Multiply(a).Normalize();
        BigInteger u1 = a.Multiply(u2).Negate().Mod(N);
        return CurveMultiplication.MultiplyAddBase(u1, Affine(point), u2).IsInfinity;
    });

    [Test]
    public void BetaMapsPointsToLambdaTimesThem()
    {
        // λ is the cube root of unity modulo n that goes with β; checked here against a plain multiplication by it.
        var lambda = new BigInteger("5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72", 16);
        ECPoint p = G.Multiply(BigInteger.ValueOf(987654321)).Normalize();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lambda.ModPow(BigInteger.Three, N), Is.EqualTo(BigInteger.One));
            Assert.That(Matches(Affine(p).MultiplyByLambda(), p.Multiply(lambda)), Is.True);
            Assert.That(Same(new JacobianPoint(Affine(p)).Double().MultiplyByLambda(), p.Twice().Multiply(lambda)), Is.True);
        }
    }

    [Test]
    public void TheGeneratorIsBouncyCastles() => Assert.That(Matches(AffinePoint.Generator, G.Normalize()), Is.True);

    private static bool Same(FieldElement actual, BigInteger expected) => ToBigInteger(actual).Equals(expected);

    private static AffinePoint Affine(ECPoint point)
    {
        ECPoint normal = point.Normalize();
        return new AffinePoint(Field(normal.AffineXCoord.ToBigInteger()), Field(normal.AffineYCoord.ToBigInteger()));
    }

    private static bool Matches(AffinePoint actual, ECPoint expected)
    {
        ECPoint normal = expected.Normalize();
        return Same(actual.X, normal.AffineXCoord.ToBigInteger()) && Same(actual.Y, normal.AffineYCoord.ToBigInteger());
    }

    private static bool Same(JacobianPoint actual, ECPoint expected) =>
        actual.TryToAffine(out AffinePoint affine) ? !expected.IsInfinity && Matches(affine, expected) : expected.IsInfinity;
}
