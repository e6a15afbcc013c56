using System.Diagnostics;
using System.Numerics;

namespace AuctionEngine.Primitives;

/// <summary>
/// Lower-case hexadecimal encoding and decoding over spans of UTF-16 or UTF-8 text, identical on every target
/// framework (the span overloads of <see cref="Convert"/> only exist from .NET 9, and never for UTF-8).
/// </summary>
/// <remarks>
/// Generic over the code unit (<see cref="char"/> or <see cref="byte"/>) the way dotnet/runtime's number formatting
/// is: the JIT compiles one specialised copy per code unit, so neither path pays for the other.
/// </remarks>
internal static class Hex
{
    private static ReadOnlySpan<byte> LowerDigits => "0123456789abcdef"u8;

    /// <summary>Writes two lower-case digits per byte; <paramref name="destination"/> must hold them all.</summary>
    public static void EncodeLower<TChar>(ReadOnlySpan<byte> source, Span<TChar> destination)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        Debug.Assert(destination.Length >= 2 * source.Length);
        for (int i = 0; i < source.Length; i++)
        {
            destination[2 * i] = TChar.CreateTruncating(LowerDigits[source[i] >> 4]);
            destination[(2 * i) + 1] = TChar.CreateTruncating(LowerDigits[source[i] & 0xF]);
        }
    }

    /// <summary>Decodes exactly <c>2 × destination.Length</c> digits of either case.</summary>
    /// <returns>Whether every character was a hexadecimal digit and the lengths matched.</returns>
    public static bool TryDecode<TChar>(ReadOnlySpan<TChar> source, Span<byte> destination)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (source.Length != 2 * destination.Length)
        {
            return false;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            int high = DigitValue(uint.CreateTruncating(source[2 * i]));
            int low = DigitValue(uint.CreateTruncating(source[(2 * i) + 1]));
            if ((high | low) < 0)
            {
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    /// <summary>The text after an optional <c>0x</c> or <c>0X</c> prefix: how Ethereum values are written.</summary>
    public static ReadOnlySpan<TChar> WithoutPrefix<TChar>(ReadOnlySpan<TChar> source)
        where TChar : unmanaged, IBinaryInteger<TChar> =>
        source.Length >= 2 && uint.CreateTruncating(source[0]) == '0' && (uint.CreateTruncating(source[1]) | 0x20) == 'x'
            ? source[2..]
            : source;

    /// <summary>Like <see cref="TryDecode"/>, after an optional <c>0x</c> prefix.</summary>
    /// <returns>Whether the digits after the prefix decoded to exactly <paramref name="destination"/>'s length.</returns>
    public static bool TryDecodeOptionallyPrefixed<TChar>(ReadOnlySpan<TChar> source, Span<byte> destination)
        where TChar : unmanaged, IBinaryInteger<TChar> =>
        TryDecode(WithoutPrefix(source), destination);

    /// <summary>Whether the digits hold both a lower-case and an upper-case letter.</summary>
    public static bool HasMixedCase<TChar>(ReadOnlySpan<TChar> digits)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        bool lower = false;
        bool upper = false;
        foreach (TChar digit in digits)
        {
            uint c = uint.CreateTruncating(digit);
            lower |= c - 'a' <= 'f' - 'a';
            upper |= c - 'A' <= 'F' - 'A';
        }

        return lower && upper;
    }

    private static int DigitValue(uint c) => c switch
    {
        >= '0' and <= '9' => (int)(c - '0'),
        >= 'a' and <= 'f' => (int)(c - 'a' + 10),
        >= 'A' and <= 'F' => (int)(c - 'A' + 10),
        _ => -1,
    };
}
