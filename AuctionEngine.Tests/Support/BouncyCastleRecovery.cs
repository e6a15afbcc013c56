using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Utilities;

namespace AuctionEngine.Tests.Support;

/// <summary>
/// Signature recovery as the engine did it before it had its own secp256k1 arithmetic, entirely with BouncyCastle:
/// the reference the faster code must agree with, status for status and address for address.
/// </summary>
internal static class BouncyCastleRecovery
{
    private static readonly ECCurve Curve = CustomNamedCurves.GetByName("secp256k1").Curve;
    private static readonly ECPoint G = CustomNamedCurves.GetByName("secp256k1").G;
    private static readonly BigInteger N = Curve.Order;
    private static readonly BigInteger HalfN = N.ShiftRight(1);

    public static SignatureStatus RecoverAddress(byte[] digest, byte[] signature, out Address signer)
    {
        signer = default;
        if (signature.Length != Secp256k1.SignatureSize)
        {
            return SignatureStatus.WrongLength;
        }

        int recoveryId = signature[64] switch
        {
            0 or 27 => 0,
            1 or 28 => 1,
            _ => -1,
        };
        if (recoveryId < 0)
        {
            return SignatureStatus.InvalidRecoveryId;
        }

        var r = new BigInteger(1, signature, 0, 32);
        var s = new BigInteger(1, signature, 32, 32);
        if (r.SignValue == 0 || r.CompareTo(N) >= 0)
        {
            return SignatureStatus.RNotInRange;
        }

        if (s.SignValue == 0 || s.CompareTo(N) >= 0)
        {
            return SignatureStatus.SNotInRange;
        }

        if (s.CompareTo(HalfN) > 0)
        {
            return SignatureStatus.HighS;
        }

        ECFieldElement x = Curve.FromBigInteger(r);
        ECFieldElement? y = x.Square().Add(Curve.A).Multiply(x).Add(Curve.B).Sqrt();
        if (y is null)
        {
            return SignatureStatus.NoCurvePoint;
        }

        if (y.TestBitZero() != (recoveryId == 1))
        {
            y = y.Negate();
        }

        ECPoint bigR = Curve.CreatePoint(r, y.ToBigInteger());
        var e = new BigInteger(1, digest);
        BigInteger rInverse = r.ModInverse(N);
        BigInteger gFactor = e.Negate().Multiply(rInverse).Mod(N);
        BigInteger rFactor = s.Multiply(rInverse).Mod(N);
        ECPoint q = ECAlgorithms.SumOfTwoMultiplies(G, gFactor, bigR, rFactor).Normalize();
        if (q.IsInfinity)
        {
            return SignatureStatus.PointAtInfinity;
        }

        byte[] xy = [.. BigIntegers.AsUnsignedByteArray(32, q.AffineXCoord.ToBigInteger()), .. BigIntegers.AsUnsignedByteArray(32, q.AffineYCoord.ToBigInteger())];
        signer = Secp256k1.AddressFromPublicKey(xy);
        return SignatureStatus.Valid;
    }
}
