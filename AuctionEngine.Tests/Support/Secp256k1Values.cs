using AuctionEngine.Crypto.Internal;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Utilities;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace AuctionEngine.Tests.Support;

/// <summary>
/// Conversions between BouncyCastle's secp256k1 values and the engine's own, and generators of scalars that include
/// the shapes where a multiplication's special cases would hide.
/// </summary>
internal static class Secp256k1Values
{
    public static readonly ECCurve Curve = CustomNamedCurves.GetByName("secp256k1").Curve;
    public static readonly ECPoint G = CustomNamedCurves.GetByName("secp256k1").G;
    public static readonly BigInteger P = Curve.Field.Characteristic;
    public static readonly BigInteger N = Curve.Order;

    private static readonly Gen<BigInteger> Any256 =
        Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32).Select(bytes => new BigInteger(1, bytes));

    private static readonly Gen<int> BitIndex = Gen.Choose(0, 255);

    /// <summary>
    /// Scalars below n of every shape: the edges (0, 1, 2, n − 1, n − 2, (n − 1) / 2, (n + 1) / 2), powers of two and
    /// their neighbours, runs of ones anywhere (2^b − 2^a), repeated nibble and byte patterns, short scalars, and
    /// uniformly random ones.
    /// </summary>
    public static Gen<BigInteger> ShapedScalars { get; } = Gen.Frequency(
        (2, Gen.Elements(
            BigInteger.Zero, BigInteger.One, BigInteger.Two, BigInteger.Three, N.Subtract(BigInteger.One), N.Subtract(BigInteger.Two),
            N.ShiftRight(1), N.ShiftRight(1).Add(BigInteger.One), BigInteger.One.ShiftLeft(255), BigInteger.One.ShiftLeft(128).Subtract(BigInteger.One),
            N.Subtract(BigInteger.One.ShiftLeft(128)), Pattern(0x0F), Pattern(0xF0), Pattern(0x01), Pattern(0x80), Pattern(0xFF).Mod(N), Pattern(0x55), Pattern(0xAA))),
        (2, BitIndex.Select(b => BigInteger.One.ShiftLeft(b))),
        (1, BitIndex.Select(b => BigInteger.One.ShiftLeft(b).Subtract(BigInteger.One).Mod(N))),
        (1, BitIndex.Select(b => N.Subtract(BigInteger.One.ShiftLeft(b)).Mod(N))),
        (2, from low in BitIndex from high in BitIndex select Ones(Math.Min(low, high), Math.Max(low, high))),
        (1, Any256.Select(x => x.ShiftRight(192))),
        (4, Any256.Select(x => x.Mod(N))));

    /// <summary>Non-zero scalars of the same shapes.</summary>
    public static Gen<BigInteger> ShapedNonZeroScalars { get; } = ShapedScalars.Where(k => k.SignValue != 0);

    public static byte[] Bytes(BigInteger value) => BigIntegers.AsUnsignedByteArray(32, value);

    public static Scalar ToScalar(BigInteger value) => Scalar.Reduce(Bytes(value));

    public static FieldElement Field(BigInteger value)
    {
        Assert.That(FieldElement.TryRead(Bytes(value), out FieldElement element), Is.True);
        return element;
    }

    public static BigInteger ToBigInteger(FieldElement x)
    {
        var bytes = new byte[FieldElement.Length];
        x.Write(bytes);
        return new BigInteger(1, bytes);
    }

    public static AffinePoint Affine(ECPoint point)
    {
        ECPoint normal = point.Normalize();
        return new AffinePoint(Field(normal.AffineXCoord.ToBigInteger()), Field(normal.AffineYCoord.ToBigInteger()));
    }

    public static bool Matches(AffinePoint actual, ECPoint expected)
    {
        ECPoint normal = expected.Normalize();
        return !normal.IsInfinity && ToBigInteger(actual.X).Equals(normal.AffineXCoord.ToBigInteger()) &&
            ToBigInteger(actual.Y).Equals(normal.AffineYCoord.ToBigInteger());
    }

    public static bool Same(JacobianPoint actual, ECPoint expected) =>
        actual.TryToAffine(out AffinePoint affine) ? Matches(affine, expected) : expected.IsInfinity;

    public static bool Same(ProjectivePoint actual, ECPoint expected) =>
        actual.TryToAffine(out AffinePoint affine) ? Matches(affine, expected) : expected.IsInfinity;

    /// <summary>The byte repeated 32 times.</summary>
    private static BigInteger Pattern(byte value) => new(1, Enumerable.Repeat(value, 32).ToArray());

    /// <summary>Ones from bit <paramref name="low"/> up to, not including, bit <paramref name="high"/>, modulo n.</summary>
    private static BigInteger Ones(int low, int high) =>
        BigInteger.One.ShiftLeft(high).Subtract(BigInteger.One.ShiftLeft(low)).Mod(N);
}
