using System.Numerics;
using System.Text;

namespace AuctionEngine.Abi;

/// <summary>
/// The general Solidity ABI encoder: <c>enc(X)</c> of the specification, with the standard head/tail layout. For a
/// tuple of parameters it gives what <c>abi.encode(a, b, …)</c> gives; <see cref="AbiFunction.EncodeCall"/> adds the
/// selector for calldata.
/// </summary>
/// <remarks>
/// Every value is checked against its type before a byte is written, so a failed call leaves the destination
/// untouched. This encoder allocates its result and walks a value tree; hot paths with a fixed shape use
/// <see cref="AbiWriter"/> instead.
/// </remarks>
public static class AbiEncoder
{
    // Throwing rather than substituting U+FFFD: a lone surrogate would otherwise be signed as something else.
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private const int Word = AbiType.WordSize;

    /// <summary>The length of <paramref name="value"/>'s encoding as <paramref name="type"/>, after checking that it fits the type.</summary>
    /// <param name="type">The type to encode as.</param>
    /// <param name="value">The value.</param>
    /// <returns>The encoded length in bytes, a multiple of 32.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The value does not fit the type: a different shape, an integer out of range, a <c>bytes&lt;M&gt;</c> not M
    /// bytes long, a fixed array of the wrong length, a tuple with the wrong number of components, text that is not
    /// valid UTF-16, or an encoding longer than the largest array.
    /// </exception>
    public static int GetEncodedLength(AbiType type, AbiValue value)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(value);
        long length = Measure(type, value);
        if (length > Array.MaxLength)
        {
            throw new ArgumentException($"The encoding would take {length} bytes, more than an array can hold.", nameof(value));
        }

        return (int)length;
    }

    /// <summary>Encodes <paramref name="value"/> as <paramref name="type"/> into a new array.</summary>
    /// <param name="type">The type to encode as.</param>
    /// <param name="value">The value.</param>
    /// <returns>The encoding.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value does not fit the type; see <see cref="GetEncodedLength"/>.</exception>
    public static byte[] Encode(AbiType type, AbiValue value)
    {
        var encoding = new byte[GetEncodedLength(type, value)];
        Write(type, value, encoding);
        return encoding;
    }

    /// <summary>Encodes <paramref name="value"/> as <paramref name="type"/> into a caller's buffer.</summary>
    /// <param name="type">The type to encode as.</param>
    /// <param name="value">The value.</param>
    /// <param name="destination">At least <see cref="GetEncodedLength"/> bytes; every one of them is written.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value does not fit the type, or <paramref name="destination"/> is too short.</exception>
    public static int Encode(AbiType type, AbiValue value, Span<byte> destination)
    {
        int length = GetEncodedLength(type, value);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The encoding needs {length} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        return Write(type, value, destination);
    }

    private static long Measure(AbiType type, AbiValue value)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.UInt or AbiTypeKind.Int:
                Expect(type, value, AbiValueKind.Integer);
                if (!Fits(type, value.Integer))
                {
                    throw new ArgumentException($"{value.Integer} is out of range for {type}.", nameof(value));
                }

                return Word;
            case AbiTypeKind.Address:
                Expect(type, value, AbiValueKind.Address);
                return Word;
            case AbiTypeKind.Bool:
                Expect(type, value, AbiValueKind.Bool);
                return Word;
            case AbiTypeKind.FixedBytes:
                Expect(type, value, AbiValueKind.Bytes);
                if (value.ByteArray.Length != type.Size)
                {
                    throw new ArgumentException($"{type} needs exactly {type.Size} bytes; got {value.ByteArray.Length}.", nameof(value));
                }

                return Word;
            case AbiTypeKind.Bytes:
                Expect(type, value, AbiValueKind.Bytes);
                return Word + PaddedLength(value.ByteArray.Length);
            case AbiTypeKind.String:
                Expect(type, value, AbiValueKind.String);
                return Word + PaddedLength(StrictUtf8.GetByteCount(value.String));
            case AbiTypeKind.FixedArray:
                Expect(type, value, AbiValueKind.Array);
                if (value.ItemArray.Length != type.Length)
                {
                    throw new ArgumentException($"{type} needs exactly {type.Length} elements; got {value.ItemArray.Length}.", nameof(value));
                }

                return MeasureSequence(type.ElementType!, null, value.ItemArray);
            case AbiTypeKind.DynamicArray:
                Expect(type, value, AbiValueKind.Array);
                return Word + MeasureSequence(type.ElementType!, null, value.ItemArray);
            default:
                Expect(type, value, AbiValueKind.Tuple);
                if (value.ItemArray.Length != type.ComponentArray.Length)
                {
                    throw new ArgumentException($"{type} has {type.ComponentArray.Length} components; got {value.ItemArray.Length}.", nameof(value));
                }

                return MeasureSequence(null, type.ComponentArray, value.ItemArray);
        }
    }

    // A sequence is the elements of an array (one type) or the components of a tuple (one type each).
    private static long MeasureSequence(AbiType? element, AbiType[]? components, AbiValue[] items)
    {
        long length = 0;
        for (int i = 0; i < items.Length; i++)
        {
            AbiType type = element ?? components![i];
            long size = Measure(type, items[i]);
            length += type.IsDynamic ? Word + size : size;
            if (length > Array.MaxLength)
            {
                throw new ArgumentException($"The encoding would take more than {Array.MaxLength} bytes.", nameof(items));
            }
        }

        return length;
    }

    private static int Write(AbiType type, AbiValue value, Span<byte> destination)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.UInt or AbiTypeKind.Int:
                WriteInteger(value.Integer, destination[..Word]);
                return Word;
            case AbiTypeKind.Address:
                destination[..12].Clear();
                value.Address.WriteTo(destination[12..Word]);
                return Word;
            case AbiTypeKind.Bool:
                destination[..Word].Clear();
                destination[Word - 1] = value.Bool ? (byte)1 : (byte)0;
                return Word;
            case AbiTypeKind.FixedBytes:
                value.ByteArray.CopyTo(destination);
                destination[value.ByteArray.Length..Word].Clear();
                return Word;
            case AbiTypeKind.Bytes:
                return WriteBytes(value.ByteArray, destination);
            case AbiTypeKind.String:
                return WriteString(value.String, destination);
            case AbiTypeKind.FixedArray:
                return WriteSequence(type.ElementType!, null, value.ItemArray, destination);
            case AbiTypeKind.DynamicArray:
                WriteInteger(value.ItemArray.Length, destination[..Word]);
                return Word + WriteSequence(type.ElementType!, null, value.ItemArray, destination[Word..]);
            default:
                return WriteSequence(null, type.ComponentArray, value.ItemArray, destination);
        }
    }

    private static int WriteSequence(AbiType? element, AbiType[]? components, AbiValue[] items, Span<byte> destination)
    {
        int tail = 0;
        for (int i = 0; i < items.Length; i++)
        {
            tail += (element ?? components![i]).HeadSize;
        }

        int head = 0;
        for (int i = 0; i < items.Length; i++)
        {
            AbiType type = element ?? components![i];
            if (type.IsDynamic)
            {
                WriteInteger(tail, destination.Slice(head, Word));
                tail += Write(type, items[i], destination[tail..]);
            }
            else
            {
                Write(type, items[i], destination[head..]);
            }

            head += type.HeadSize;
        }

        return tail;
    }

    private static int WriteBytes(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        int padded = PaddedLength(bytes.Length);
        WriteInteger(bytes.Length, destination[..Word]);
        bytes.CopyTo(destination[Word..]);
        destination[(Word + bytes.Length)..(Word + padded)].Clear();
        return Word + padded;
    }

    private static int WriteString(string text, Span<byte> destination)
    {
        int length = StrictUtf8.GetBytes(text, destination[Word..]);
        int padded = PaddedLength(length);
        WriteInteger(length, destination[..Word]);
        destination[(Word + length)..(Word + padded)].Clear();
        return Word + padded;
    }

    /// <summary>Writes a 256-bit two's complement word; the caller has range-checked the value.</summary>
    internal static void WriteInteger(BigInteger value, Span<byte> word)
    {
        int count = value.GetByteCount(isUnsigned: value.Sign >= 0);
        word.Fill(value.Sign < 0 ? (byte)0xFF : (byte)0);
        value.TryWriteBytes(word[(Word - count)..], out _, isUnsigned: value.Sign >= 0, isBigEndian: true);
    }

    internal static bool Fits(AbiType type, BigInteger value) => type.Kind == AbiTypeKind.UInt
        ? value.Sign >= 0 && value.GetBitLength() <= type.Size
        : value.GetBitLength() < type.Size;

    internal static int PaddedLength(int length) => (int)(((long)length + Word - 1) / Word * Word);

    private static void Expect(AbiType type, AbiValue value, AbiValueKind kind)
    {
        if (value.Kind != kind)
        {
            throw new ArgumentException($"{type} needs a {kind} value; got a {value.Kind}: {Abbreviate(value)}.", nameof(value));
        }
    }

    private static string Abbreviate(AbiValue value)
    {
        string text = value.ToString();
        return text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
    }
}
