namespace AuctionEngine.Crypto.Internal;

/// <summary>A secp256k1 point (x, y) other than the point at infinity, with canonical coordinates.</summary>
/// <remarks>
/// Decoding, lifting and λ·P use <see cref="FieldElement"/>'s variable-time operators and are for public points
/// (signatures, ciphertexts, keys). The constant-time code only stores its table entries and results in this type.
/// </remarks>
internal readonly struct AffinePoint
{
    /// <summary>The length of the SEC 1 uncompressed encoding: 0x04, x, y.</summary>
    public const int UncompressedLength = 1 + (2 * FieldElement.Length);

    // y² = x³ + 7.
    private static readonly FieldElement B = Constant("0000000000000000000000000000000000000000000000000000000000000007");

    /// <summary>
    /// A cube root of unity modulo p: (β·x, y) is λ·(x, y) for the matching cube root of unity λ modulo n, which lets
    /// a 256-bit multiplication be split into two 128-bit ones (GLV).
    /// </summary>
    public static FieldElement Beta { get; } = Constant("7AE96A2B657C07106E64479EAC3434E99CF0497512F58995C1396C28719501EE");

    /// <summary>The generator G.</summary>
    public static AffinePoint Generator { get; } = new(
        Constant("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"),
        Constant("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8"));

    public AffinePoint(FieldElement x, FieldElement y)
    {
        X = x;
        Y = y;
    }

    public FieldElement X { get; }

    public FieldElement Y { get; }

    public static AffinePoint operator -(in AffinePoint p) => new(p.X, -p.Y);

    /// <summary>λ·P; see <see cref="Beta"/>.</summary>
    public AffinePoint MultiplyByLambda() => new(X * Beta, Y);

    /// <summary>The y coordinates that go with x, if x³ + 7 is a square; <paramref name="odd"/> picks the root by parity.</summary>
    public static bool TryLift(in FieldElement x, bool odd, out AffinePoint point)
    {
        point = default;
        if (!((x.Square() * x) + B).TrySqrt(out FieldElement y))
        {
            return false;
        }

        point = new AffinePoint(x, y.IsOdd == odd ? y : -y);
        return true;
    }

    /// <summary>Decodes 0x04 || x || y, refusing coordinates not below p and points off the curve.</summary>
    public static bool TryDecodeUncompressed(ReadOnlySpan<byte> encoded, out AffinePoint point)
    {
        point = default;
        if (encoded.Length != UncompressedLength || encoded[0] != 0x04 ||
            !FieldElement.TryRead(encoded.Slice(1, FieldElement.Length), out FieldElement x) ||
            !FieldElement.TryRead(encoded.Slice(1 + FieldElement.Length, FieldElement.Length), out FieldElement y) ||
            !y.Square().Equals((x.Square() * x) + B))
        {
            return false;
        }

        point = new AffinePoint(x, y);
        return true;
    }

    /// <summary>Writes 0x04 || x || y.</summary>
    public void WriteUncompressed(Span<byte> destination)
    {
        destination[0] = 0x04;
        X.Write(destination.Slice(1, FieldElement.Length));
        Y.Write(destination.Slice(1 + FieldElement.Length, FieldElement.Length));
    }

    private static FieldElement Constant(string hex)
    {
        FieldElement.TryRead(Convert.FromHexString(hex), out FieldElement value);
        return value;
    }
}
