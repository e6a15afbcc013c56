namespace AuctionEngine.Internal;

/// <summary>A secp256k1 point (x, y) other than the point at infinity, with canonical coordinates.</summary>
/// <remarks>Variable time, like <see cref="FieldElement"/>, which says where that is acceptable.</remarks>
internal readonly struct AffinePoint
{
    /// <summary>The length of the SEC 1 uncompressed encoding: 0x04, x, y.</summary>
    public const int UncompressedLength = 1 + (2 * FieldElement.Length);

    // y² = x³ + 7.
    private static readonly FieldElement B = Seven();

    public AffinePoint(FieldElement x, FieldElement y)
    {
        X = x;
        Y = y;
    }

    public FieldElement X { get; }

    public FieldElement Y { get; }

    public static AffinePoint operator -(in AffinePoint p) => new(p.X, -p.Y);

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

    private static FieldElement Seven()
    {
        Span<byte> seven = stackalloc byte[FieldElement.Length];
        seven[^1] = 7;
        FieldElement.TryRead(seven, out FieldElement b);
        return b;
    }
}
