namespace AuctionEngine.Primitives;

/// <summary>
/// Lower-case hexadecimal encoding and decoding over spans, identical on every target framework
/// (the span overloads of <see cref="Convert"/> only exist from .NET 9).
/// </summary>
internal static class Hex
{
    private const string Digits = "0123456789abcdef";

    /// <summary>Writes two lower-case digits per byte; <paramref name="destination"/> must hold them all.</summary>
    public static void EncodeLower(ReadOnlySpan<byte> source, Span<char> destination)
    {
        System.Diagnostics.Debug.Assert(destination.Length >= 2 * source.Length);
        for (int i = 0; i < source.Length; i++)
        {
            destination[2 * i] = Digits[source[i] >> 4];
            destination[(2 * i) + 1] = Digits[source[i] & 0xF];
        }
    }

    /// <summary>Decodes exactly <c>2 × destination.Length</c> digits of either case.</summary>
    /// <returns>Whether every character was a hexadecimal digit and the lengths matched.</returns>
    public static bool TryDecode(ReadOnlySpan<char> source, Span<byte> destination)
    {
        if (source.Length != 2 * destination.Length)
        {
            return false;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            int high = DigitValue(source[2 * i]);
            int low = DigitValue(source[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    /// <summary>Like <see cref="TryDecode"/>, after an optional <c>0x</c> prefix: how Ethereum values are written.</summary>
    /// <returns>Whether the digits after the prefix decoded to exactly <paramref name="destination"/>'s length.</returns>
    public static bool TryDecodeOptionallyPrefixed(ReadOnlySpan<char> source, Span<byte> destination)
    {
        if (source.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            source = source[2..];
        }

        return TryDecode(source, destination);
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
