using System.Diagnostics;
using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using AuctionEngine.Primitives;

namespace AuctionEngine.Serialization;

/// <summary>
/// Reads and writes the field values every converter shares: integers as decimal strings, enums as names, hex bytes,
/// and the bookkeeping of an object's properties (each at most once, the required ones all present).
/// </summary>
/// <remarks>
/// Integers wider than 32 bits are written as decimal strings because a JSON number past 2^53 silently loses digits
/// in JavaScript's <c>JSON.parse</c> and in every reader that goes through a double: a quote amount of 10^18 atoms
/// must arrive exact. They are read from a decimal string or a JSON integer, parsed from the text (never through a
/// double). Text is taken straight from the reader's buffer when it is unescaped, else unescaped into a stack
/// buffer six times the longest valid value (the longest escape, <c>\u0041</c>, is six bytes for one), so every valid
/// value fits and nothing is allocated.
/// </remarks>
internal static class JsonFields
{
    private const int MaxEscapeExpansion = 6;

    // 39 digits for UInt128.MaxValue, 20 for long.MinValue with its sign.
    private const int MaxIntegerLength = 40;

    /// <summary>An object's property names, in the order its converter's field enum lists them.</summary>
    public static JsonEncodedText[] Names(params string[] names)
    {
        Debug.Assert(names.Length <= 32, "ReadPropertyName keeps one bit per property in a uint.");
        return Array.ConvertAll(names, name => JsonEncodedText.Encode(name));
    }

    /// <summary>Advances past a property name to its value and returns the name's index in <paramref name="names"/>, or -1.</summary>
    public static int ReadPropertyName(ref Utf8JsonReader reader, ReadOnlySpan<JsonEncodedText> names, ref uint seen, string type)
    {
        int field = -1;
        for (int i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i].EncodedUtf8Bytes))
            {
                field = i;
                break;
            }
        }

        if (field >= 0)
        {
            uint bit = 1u << field;
            if ((seen & bit) != 0)
            {
                ThrowHelper.ThrowJsonException_DuplicateProperty(type, names[field].Value);
            }

            seen |= bit;
        }

        reader.Read();
        return field;
    }

    /// <summary>Checks that the reader is at the start of an object, as every converter's value is.</summary>
    public static void ExpectStartObject(ref Utf8JsonReader reader, string type)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ThrowHelper.ThrowJsonException_Expected(type, "an object", reader.TokenType);
        }
    }

    /// <summary>Moves to the next property name; false at the end of the object.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType != JsonTokenType.EndObject;
    }

    /// <summary>Throws unless every property in <paramref name="names"/> was read.</summary>
    public static void RequireAll(uint seen, ReadOnlySpan<JsonEncodedText> names, string type)
    {
        for (int i = 0; i < names.Length; i++)
        {
            if ((seen & (1u << i)) == 0)
            {
                ThrowHelper.ThrowJsonException_MissingProperty(type, names[i].Value);
            }
        }
    }

    /// <summary>
    /// The string value's UTF-8 text, unescaped: the reader's own bytes when it can, else a copy in
    /// <paramref name="buffer"/>. <paramref name="buffer"/> holds the raw text of the longest valid value.
    /// </summary>
    public static ReadOnlySpan<byte> StringBytes(in Utf8JsonReader reader, Span<byte> buffer, string field)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            ThrowHelper.ThrowJsonException_Expected(field, "a string", reader.TokenType);
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return reader.ValueSpan;
        }

        long rawLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (rawLength > buffer.Length)
        {
            ThrowHelper.ThrowJsonException_TooLong(field);
        }

        return buffer[..reader.CopyString(buffer)];
    }

    public static Address ReadAddress(ref Utf8JsonReader reader, string field)
    {
        Span<byte> buffer = stackalloc byte[MaxEscapeExpansion * Address.TextLength];
        ReadOnlySpan<byte> text = StringBytes(in reader, buffer, field);
        Address.ParseStatus status = Address.TryParseCore(text, out Address address);
        if (status != Address.ParseStatus.Parsed)
        {
            ThrowHelper.ThrowJsonException_Address(field, status == Address.ParseStatus.WrongChecksum);
        }

        return address;
    }

    public static void WriteAddress(Utf8JsonWriter writer, Address address)
    {
        Span<byte> text = stackalloc byte[Address.TextLength];
        address.TryFormat(text, out _, default, null);
        writer.WriteStringValue(text);
    }

    public static void WriteAddressAsPropertyName(Utf8JsonWriter writer, Address address)
    {
        Span<byte> text = stackalloc byte[Address.TextLength];
        address.TryFormat(text, out _, default, null);
        writer.WritePropertyName(text);
    }

    public static Hash32 ReadHash32(ref Utf8JsonReader reader, string field)
    {
        Span<byte> buffer = stackalloc byte[MaxEscapeExpansion * Hash32.TextLength];
        if (!Hash32.TryParse(StringBytes(in reader, buffer, field), out Hash32 value))
        {
            ThrowHelper.ThrowJsonException_Hash32(field);
        }

        return value;
    }

    public static void WriteHash32(Utf8JsonWriter writer, Hash32 value)
    {
        Span<byte> text = stackalloc byte[Hash32.TextLength];
        value.TryFormat(text, out _, default, null);
        writer.WriteStringValue(text);
    }

    public static void WriteHash32AsPropertyName(Utf8JsonWriter writer, Hash32 value)
    {
        Span<byte> text = stackalloc byte[Hash32.TextLength];
        value.TryFormat(text, out _, default, null);
        writer.WritePropertyName(text);
    }

    /// <summary>Reads <c>0x</c> and exactly <c>2 × length</c> hexadecimal digits into a new array.</summary>
    public static byte[] ReadHexBytes(ref Utf8JsonReader reader, int length, string field)
    {
        Span<byte> buffer = stackalloc byte[MaxEscapeExpansion * (2 + (2 * length))];
        var bytes = new byte[length];
        if (!Hex.TryDecodeOptionallyPrefixed(StringBytes(in reader, buffer, field), bytes))
        {
            ThrowHelper.ThrowJsonException_HexBytes(field, length);
        }

        return bytes;
    }

    public static void WriteHexBytes(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes)
    {
        Span<byte> text = stackalloc byte[2 + (2 * bytes.Length)];
        text[0] = (byte)'0';
        text[1] = (byte)'x';
        Hex.EncodeLower(bytes, text[2..]);
        writer.WriteStringValue(text);
    }

    public static long ReadInt64(ref Utf8JsonReader reader, string field) => ReadInteger<long>(ref reader, field);

    public static ulong ReadUInt64(ref Utf8JsonReader reader, string field) => ReadInteger<ulong>(ref reader, field);

    public static UInt128 ReadUInt128(ref Utf8JsonReader reader, string field) => ReadInteger<UInt128>(ref reader, field);

    public static long? ReadNullableInt64(ref Utf8JsonReader reader, string field) =>
        reader.TokenType == JsonTokenType.Null ? null : ReadInteger<long>(ref reader, field);

    /// <summary>Reads a count, which is a plain JSON integer: an <see cref="int"/> is exact in every JSON reader.</summary>
    public static int ReadInt32(ref Utf8JsonReader reader, string field)
    {
        int count = 0;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out count))
        {
            ThrowHelper.ThrowJsonException_Int32(field);
        }

        return count;
    }

    /// <summary>Writes an integer as its invariant decimal text, in a JSON string.</summary>
    public static void WriteInteger<T>(Utf8JsonWriter writer, T value)
        where T : IBinaryInteger<T>
    {
        Span<byte> text = stackalloc byte[MaxIntegerLength];
        value.TryFormat(text, out int written, default, CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..written]);
    }

    public static void WriteNullableInteger(Utf8JsonWriter writer, long? value)
    {
        if (value is long number)
        {
            WriteInteger(writer, number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>
    /// Reads an integer from a decimal string or a JSON integer: digits only, with a leading minus sign for a signed
    /// type; no plus sign, white space, fraction or exponent, and nothing out of range.
    /// </summary>
    private static T ReadInteger<T>(ref Utf8JsonReader reader, string field)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        Span<byte> buffer = stackalloc byte[MaxEscapeExpansion * MaxIntegerLength];
        scoped ReadOnlySpan<byte> text = default;
        if (reader.TokenType == JsonTokenType.String)
        {
            text = StringBytes(in reader, buffer, field);
        }
        else if (reader.TokenType == JsonTokenType.Number)
        {
            // A number's text is never escaped; only a value split across buffers needs copying.
            text = reader.HasValueSequence ? CopySequence(in reader, buffer, field) : reader.ValueSpan;
        }
        else
        {
            ThrowHelper.ThrowJsonException_Expected(field, "an integer as a decimal string", reader.TokenType);
        }

        bool signed = T.IsNegative(T.MinValue);
        NumberStyles style = signed ? NumberStyles.AllowLeadingSign : NumberStyles.None;
        T value = T.Zero;
        if (text.IsEmpty || text[0] == '+' || !T.TryParse(text, style, CultureInfo.InvariantCulture, out value))
        {
            ThrowHelper.ThrowJsonException_Integer(
                field, T.MinValue.ToString(null, CultureInfo.InvariantCulture), T.MaxValue.ToString(null, CultureInfo.InvariantCulture));
        }

        return value;
    }

    private static ReadOnlySpan<byte> CopySequence(in Utf8JsonReader reader, Span<byte> buffer, string field)
    {
        if (reader.ValueSequence.Length > buffer.Length)
        {
            ThrowHelper.ThrowJsonException_TooLong(field);
        }

        reader.ValueSequence.CopyTo(buffer);
        return buffer[..(int)reader.ValueSequence.Length];
    }

    /// <summary>
    /// Reads an enum value: one of <paramref name="names"/> (indexed by value), or a JSON integer from 0 to 255 for a
    /// value that has no name.
    /// </summary>
    public static byte ReadEnum(ref Utf8JsonReader reader, ReadOnlySpan<JsonEncodedText> names, string field)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetByte(out byte number))
        {
            return number;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            for (int i = 0; i < names.Length; i++)
            {
                if (!names[i].EncodedUtf8Bytes.IsEmpty && reader.ValueTextEquals(names[i].EncodedUtf8Bytes))
                {
                    return (byte)i;
                }
            }
        }

        ThrowHelper.ThrowJsonException_EnumName(field, names);
        return default;
    }

    /// <summary>Writes an enum value's name, or its number when it has none (an order built with an invalid side, say).</summary>
    public static void WriteEnum(Utf8JsonWriter writer, ReadOnlySpan<JsonEncodedText> names, byte value)
    {
        if (value < names.Length && !names[value].EncodedUtf8Bytes.IsEmpty)
        {
            writer.WriteStringValue(names[value]);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }
}
