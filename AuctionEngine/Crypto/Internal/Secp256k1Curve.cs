using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;
using Org.BouncyCastle.Math.EC.Multiplier;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace AuctionEngine.Crypto.Internal;

/// <summary>
/// The secp256k1 group as the threshold and ECIES code need it: scalars are canonical 32-byte big-endian integers
/// below the group order, points travel in SEC 1 encoding.
/// </summary>
/// <remarks>
/// The members on BouncyCastle's big integers and points (<see cref="MultiplyBase"/>, <see cref="TryReadScalar"/>,
/// <see cref="TryReadSecretKey"/>) are not held to constant time and serve public values: released shares and
/// their checks, and a batch key once it is opened. <see cref="RandomSecret"/> draws secrets for the constant-time
/// code.
/// </remarks>
internal static class Secp256k1Curve
{
    /// <summary>The length of an encoded scalar.</summary>
    public const int ScalarLength = 32;

    /// <summary>The length of an uncompressed SEC 1 point: <c>0x04</c>, then X and Y.</summary>
    public const int UncompressedPointLength = 65;

    private static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");

    /// <summary>The curve, generator and order, as BouncyCastle's signers take them.</summary>
    public static ECDomainParameters Domain { get; } = new(Parameters.Curve, Parameters.G, Parameters.N, Parameters.H);

    // The comb multiplier precomputes multiples of G once; every share check and key derivation multiplies G.
    private static readonly FixedPointCombMultiplier BaseMultiplier = new();

    /// <summary>The group order n.</summary>
    public static BigInteger Order => Parameters.N;

    /// <summary>k·G, normalised, with BouncyCastle's comb: for public k, such as a released share being checked.</summary>
    public static ECPoint MultiplyBase(BigInteger k) => BaseMultiplier.Multiply(Parameters.G, k).Normalize();

    /// <summary>Reads a canonical scalar: exactly 32 bytes, below n (zero allowed).</summary>
    public static bool TryReadScalar(ReadOnlySpan<byte> bytes, out BigInteger scalar)
    {
        scalar = BigInteger.Zero;
        if (bytes.Length != ScalarLength)
        {
            return false;
        }

        var value = new BigInteger(1, bytes.ToArray());
        if (value.CompareTo(Order) >= 0)
        {
            return false;
        }

        scalar = value;
        return true;
    }

    /// <summary>Reads a secret key: a canonical scalar that is not zero.</summary>
    public static bool TryReadSecretKey(ReadOnlySpan<byte> bytes, out BigInteger secret) =>
        TryReadScalar(bytes, out secret) && secret.SignValue != 0;

    /// <summary>Writes a reduced scalar as 32 big-endian bytes, left-padded with zeros.</summary>
    public static byte[] EncodeScalar(BigInteger scalar)
    {
        System.Diagnostics.Debug.Assert(scalar.SignValue >= 0 && scalar.CompareTo(Order) < 0);
        byte[] magnitude = scalar.ToByteArrayUnsigned();
        var encoded = new byte[ScalarLength];
        magnitude.CopyTo(encoded, ScalarLength - magnitude.Length);
        return encoded;
    }

    /// <summary>
    /// A uniformly random secret scalar in [1, n), by rejection so that no value is favoured, checked with masks
    /// (<see cref="Scalar.ReadSecret"/>): the only branch is on the verdict, which rejects with probability about 2^-128.
    /// </summary>
    public static Scalar RandomSecret(RandomNumberGenerator random)
    {
        Span<byte> buffer = stackalloc byte[ScalarLength];
        while (true)
        {
            random.GetBytes(buffer);
            if (Scalar.ReadSecret(buffer, out Scalar secret) != 0)
            {
                CryptographicOperations.ZeroMemory(buffer);
                return secret;
            }
        }
    }

    /// <summary>The point as BouncyCastle's, for the public commitments that are kept in that form.</summary>
    public static ECPoint ToBouncyCastle(in AffinePoint point)
    {
        Span<byte> encoded = stackalloc byte[UncompressedPointLength];
        point.WriteUncompressed(encoded);
        return Parameters.Curve.DecodePoint(encoded.ToArray());
    }

    /// <summary>Decodes a compressed or uncompressed SEC 1 point that lies on the curve and is not the identity.</summary>
    public static bool TryDecodePoint(ReadOnlySpan<byte> encoded, out ECPoint point)
    {
        point = Parameters.Curve.Infinity;
        if (encoded.Length == 0 || encoded[0] == 0x00)
        {
            return false;
        }

        try
        {
            // DecodePoint checks that the coordinates are on the curve; its only way to say no is an exception.
            point = Parameters.Curve.DecodePoint(encoded.ToArray()).Normalize();
            return !point.IsInfinity;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Decodes a point as <see cref="TryDecodePoint(ReadOnlySpan{byte}, out ECPoint)"/> does, into the engine's own form.</summary>
    public static bool TryDecodePoint(ReadOnlySpan<byte> encoded, out AffinePoint point)
    {
        point = default;
        return TryDecodePoint(encoded, out ECPoint decoded) && AffinePoint.TryDecodeUncompressed(decoded.GetEncoded(false), out point);
    }
}
