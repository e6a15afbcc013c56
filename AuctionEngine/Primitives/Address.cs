using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using AuctionEngine.Crypto;
using AuctionEngine.Serialization;

namespace AuctionEngine.Primitives;

/// <summary>
/// A 20-byte account or contract address, as used by Ethereum and EVM chains.
/// </summary>
/// <remarks>
/// Stored as three integers rather than a byte array so that <see cref="Address"/> is a blittable value that can sit
/// inside an <see cref="Orders.Order"/> without a heap reference. Equality is byte-wise. Text is EIP-55: parsing
/// checks a mixed-case checksum and formatting writes one; JSON is the checksummed string
/// (<see cref="AddressJsonConverter"/>). The <see cref="IParsable{TSelf}"/>, <see cref="ISpanParsable{TSelf}"/> and
/// <see cref="IUtf8SpanParsable{TSelf}"/> members, for generic code, are implemented explicitly and ignore their
/// format provider: an address reads the same in every culture.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
[JsonConverter(typeof(AddressJsonConverter))]
public readonly struct Address :
    IEquatable<Address>, IComparable<Address>, ISpanFormattable, IUtf8SpanFormattable, ISpanParsable<Address>, IUtf8SpanParsable<Address>
{
    /// <summary>The number of bytes in an address.</summary>
    public const int Length = 20;

    /// <summary>The number of characters in an address's text: <c>0x</c> and 40 hexadecimal digits.</summary>
    public const int TextLength = 2 + DigitCount;

    private const int DigitCount = 2 * Length;

    private readonly ulong _bytes0To7;
    private readonly ulong _bytes8To15;
    private readonly uint _bytes16To19;

    /// <summary>Creates an address from exactly 20 big-endian bytes.</summary>
    /// <param name="bytes">The address bytes, most significant first.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 20 bytes long.</exception>
    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            ThrowHelper.ThrowArgumentException_AddressLength(bytes.Length, nameof(bytes));
        }

        _bytes0To7 = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _bytes8To15 = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _bytes16To19 = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
    }

    /// <summary>The zero address, <c>0x0000000000000000000000000000000000000000</c>.</summary>
    public static Address Zero => default;

    /// <summary>Whether this is the zero address.</summary>
    public bool IsZero => _bytes0To7 == 0 && _bytes8To15 == 0 && _bytes16To19 == 0;

    /// <summary>Writes the 20 address bytes, most significant first.</summary>
    /// <param name="destination">At least 20 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 20 bytes.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _bytes0To7);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _bytes8To15);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _bytes16To19);
    }

    /// <summary>
    /// Parses 40 hexadecimal digits, with or without a <c>0x</c> prefix: all lower-case, all upper-case, or mixed case
    /// with a correct EIP-55 checksum.
    /// </summary>
    /// <remarks>
    /// Mixed case is read as an EIP-55 checksum and must match it exactly, as wallets do: a mistyped checksummed
    /// address fails here instead of sending funds to an account nobody controls. Single-case text carries no checksum
    /// and is accepted as it is, as EIP-55 says.
    /// </remarks>
    /// <param name="text">The text to parse.</param>
    /// <param name="address">The parsed address, or <see cref="Zero"/> when parsing fails.</param>
    /// <returns>Whether <paramref name="text"/> was a well-formed address with a correct checksum if it had one.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out Address address) => TryParseCore(text, out address) == ParseStatus.Parsed;

    /// <summary>Parses UTF-8 text as <see cref="TryParse(ReadOnlySpan{char}, out Address)"/> parses UTF-16 text.</summary>
    /// <param name="utf8Text">The UTF-8 text to parse.</param>
    /// <param name="address">The parsed address, or <see cref="Zero"/> when parsing fails.</param>
    /// <returns>Whether <paramref name="utf8Text"/> was a well-formed address with a correct checksum if it had one.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, out Address address) => TryParseCore(utf8Text, out address) == ParseStatus.Parsed;

    /// <summary>
    /// Parses 40 hexadecimal digits, with or without a <c>0x</c> prefix: all lower-case, all upper-case, or mixed case
    /// with a correct EIP-55 checksum (see <see cref="TryParse(ReadOnlySpan{char}, out Address)"/>).
    /// </summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">
    /// <paramref name="text"/> is not 40 hexadecimal digits, or it is in mixed case and its EIP-55 checksum is wrong.
    /// </exception>
    public static Address Parse(ReadOnlySpan<char> text) => ParseOrThrow(text);

    /// <summary>Parses UTF-8 text as <see cref="Parse(ReadOnlySpan{char})"/> parses UTF-16 text.</summary>
    /// <param name="utf8Text">The UTF-8 text to parse.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">
    /// <paramref name="utf8Text"/> is not 40 hexadecimal digits, or it is in mixed case and its EIP-55 checksum is wrong.
    /// </exception>
    public static Address Parse(ReadOnlySpan<byte> utf8Text) => ParseOrThrow(utf8Text);

    /// <inheritdoc/>
    static bool IParsable<Address>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Address result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParse(s.AsSpan(), out result);
    }

    /// <inheritdoc/>
    static bool ISpanParsable<Address>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Address result) => TryParse(s, out result);

    /// <inheritdoc/>
    static bool IUtf8SpanParsable<Address>.TryParse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider, out Address result) => TryParse(utf8Text, out result);

    /// <inheritdoc/>
    static Address IParsable<Address>.Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan());
    }

    /// <inheritdoc/>
    static Address ISpanParsable<Address>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc/>
    static Address IUtf8SpanParsable<Address>.Parse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider) => Parse(utf8Text);

    /// <inheritdoc/>
    public bool Equals(Address other) =>
        _bytes0To7 == other._bytes0To7 && _bytes8To15 == other._bytes8To15 && _bytes16To19 == other._bytes16To19;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_bytes0To7, _bytes8To15, _bytes16To19);

    /// <summary>Orders addresses as 160-bit big-endian unsigned integers.</summary>
    /// <param name="other">The address to compare with.</param>
    /// <returns>Negative, zero or positive as this address is below, equal to or above <paramref name="other"/>.</returns>
    public int CompareTo(Address other)
    {
        int c = _bytes0To7.CompareTo(other._bytes0To7);
        if (c == 0)
        {
            c = _bytes8To15.CompareTo(other._bytes8To15);
        }

        return c != 0 ? c : _bytes16To19.CompareTo(other._bytes16To19);
    }

    /// <summary>Byte-wise equality.</summary>
    public static bool operator ==(Address left, Address right) => left.Equals(right);

    /// <summary>Byte-wise inequality.</summary>
    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    /// <summary>Whether <paramref name="left"/> is below <paramref name="right"/> as a 160-bit integer.</summary>
    public static bool operator <(Address left, Address right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is at most <paramref name="right"/> as a 160-bit integer.</summary>
    public static bool operator <=(Address left, Address right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is above <paramref name="right"/> as a 160-bit integer.</summary>
    public static bool operator >(Address left, Address right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is at least <paramref name="right"/> as a 160-bit integer.</summary>
    public static bool operator >=(Address left, Address right) => left.CompareTo(right) >= 0;

    /// <summary>
    /// Formats the address as <c>0x</c> and 40 hexadecimal digits in its EIP-55 checksummed case, the form wallets and
    /// block explorers show (e.g. <c>0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed</c>).
    /// </summary>
    /// <returns>The checksummed address.</returns>
    public override string ToString() => ToString(checksummed: true);

    /// <summary>Formats the address in the form <paramref name="format"/> names.</summary>
    /// <param name="format">
    /// <see langword="null"/> or empty for the EIP-55 checksummed form, as <see cref="ToString()"/>; <c>"x"</c> for
    /// <c>0x</c> and 40 lower-case digits, the form JSON-RPC nodes return and case-sensitive keys need.
    /// </param>
    /// <param name="formatProvider">Ignored: an address is written the same way in every culture.</param>
    /// <returns>The formatted address.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is neither empty nor <c>"x"</c>.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString(IsChecksummed(format));

    /// <summary>Writes the address in the form <paramref name="format"/> names, if it fits.</summary>
    /// <param name="destination">Where to write the 42 characters.</param>
    /// <param name="charsWritten">42 when the address was written; 0 otherwise.</param>
    /// <param name="format">Empty for the EIP-55 checksummed form; <c>"x"</c> for lower case.</param>
    /// <param name="provider">Ignored: an address is written the same way in every culture.</param>
    /// <returns>Whether <paramref name="destination"/> held the 42 characters.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is neither empty nor <c>"x"</c>.</exception>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        TryFormatCore(destination, out charsWritten, IsChecksummed(format));

    /// <summary>Writes the address as UTF-8 in the form <paramref name="format"/> names, if it fits.</summary>
    /// <param name="utf8Destination">Where to write the 42 bytes.</param>
    /// <param name="bytesWritten">42 when the address was written; 0 otherwise.</param>
    /// <param name="format">Empty for the EIP-55 checksummed form; <c>"x"</c> for lower case.</param>
    /// <param name="provider">Ignored: an address is written the same way in every culture.</param>
    /// <returns>Whether <paramref name="utf8Destination"/> held the 42 bytes.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is neither empty nor <c>"x"</c>.</exception>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        TryFormatCore(utf8Destination, out bytesWritten, IsChecksummed(format));

    private static bool IsChecksummed(ReadOnlySpan<char> format)
    {
        if (format.IsEmpty)
        {
            return true;
        }

        if (format is not "x")
        {
            ThrowHelper.ThrowFormatException_AddressFormat();
        }

        return false;
    }

    private string ToString(bool checksummed) =>
        string.Create(TextLength, (Address: this, Checksummed: checksummed), static (chars, state) => state.Address.TryFormatCore(chars, out _, state.Checksummed));

    private bool TryFormatCore<TChar>(Span<TChar> destination, out int written, bool checksummed)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (destination.Length < TextLength)
        {
            written = 0;
            return false;
        }

        Span<byte> digits = stackalloc byte[DigitCount];
        WriteDigits(digits, checksummed);
        destination[0] = TChar.CreateTruncating('0');
        destination[1] = TChar.CreateTruncating('x');
        for (int i = 0; i < DigitCount; i++)
        {
            destination[2 + i] = TChar.CreateTruncating(digits[i]);
        }

        written = TextLength;
        return true;
    }

    /// <summary>Writes the 40 digits as ASCII, lower-case, then with EIP-55's upper-case letters if asked.</summary>
    private void WriteDigits(Span<byte> digits, bool checksummed)
    {
        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        Hex.EncodeLower(bytes, digits);
        if (!checksummed)
        {
            return;
        }

        // EIP-55: the i-th letter is upper-case exactly when the i-th nibble of keccak256(the lower-case digits) is 8 or more.
        Span<byte> hash = stackalloc byte[Keccak256.HashSize];
        Keccak256.HashData(digits, hash);
        for (int i = 0; i < DigitCount; i++)
        {
            int nibble = (i & 1) == 0 ? hash[i >> 1] >> 4 : hash[i >> 1] & 0xF;
            if (nibble >= 8 && digits[i] >= 'a')
            {
                digits[i] -= 'a' - 'A';
            }
        }
    }

    private static Address ParseOrThrow<TChar>(ReadOnlySpan<TChar> text)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        ParseStatus status = TryParseCore(text, out Address address);
        if (status != ParseStatus.Parsed)
        {
            ThrowHelper.ThrowFormatException_Address(wrongChecksum: status == ParseStatus.WrongChecksum);
        }

        return address;
    }

    internal static ParseStatus TryParseCore<TChar>(ReadOnlySpan<TChar> text, out Address address)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        ReadOnlySpan<TChar> digits = Hex.WithoutPrefix(text);
        Span<byte> bytes = stackalloc byte[Length];
        if (!Hex.TryDecode(digits, bytes))
        {
            address = default;
            return ParseStatus.Malformed;
        }

        var parsed = new Address(bytes);
        if (Hex.HasMixedCase(digits) && !parsed.IsChecksumOf(digits))
        {
            address = default;
            return ParseStatus.WrongChecksum;
        }

        address = parsed;
        return ParseStatus.Parsed;
    }

    /// <summary>Whether <paramref name="digits"/> are exactly this address's EIP-55 checksummed digits.</summary>
    private bool IsChecksumOf<TChar>(ReadOnlySpan<TChar> digits)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        Span<byte> expected = stackalloc byte[DigitCount];
        WriteDigits(expected, checksummed: true);
        for (int i = 0; i < DigitCount; i++)
        {
            if (uint.CreateTruncating(digits[i]) != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    internal enum ParseStatus
    {
        Parsed,
        Malformed,
        WrongChecksum,
    }
}
