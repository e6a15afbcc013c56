using System.Buffers.Binary;
using System.Numerics;
using System.Text.Unicode;
using AuctionEngine.Primitives;

namespace AuctionEngine.Abi;

/// <summary>
/// The strict Solidity ABI decoder: it accepts exactly the canonical encoding of a value, the one
/// <see cref="AbiEncoder"/>, Solidity and ethers produce, and refuses everything else with an
/// <see cref="AbiDecodingException"/>.
/// </summary>
/// <remarks>
/// <para>
/// Refused: input shorter than the layout needs; offsets that are not 32-byte aligned, point outside the input, or
/// differ from where the canonical layout puts the tail (tails must follow the head in order, back to back); lengths
/// that do not fit the remaining input; non-zero padding after <c>bytes</c>, <c>string</c>, <c>bytes&lt;M&gt;</c> and
/// <c>address</c>; a <c>bool</c> other than 0 or 1; an integer outside its <c>uint&lt;M&gt;</c> range or not the sign
/// extension of an <c>int&lt;M&gt;</c>; <c>string</c> bytes that are not valid UTF-8.
/// </para>
/// <para>
/// Trailing bytes are refused too: the input must end where the encoding ends. Solidity's <c>abi.decode</c> and ethers
/// ignore them, but a settlement engine would then accept two different byte strings for one settlement, and every
/// decoded value would not be re-encodable to the bytes it came from. Because of both rules decoding is injective:
/// flipping any bit of a valid encoding either changes the decoded value or is refused.
/// </para>
/// <para>
/// Memory is bounded by the input: an array's length is checked against the bytes left before anything is allocated,
/// and every type encodes to at least one word.
/// </para>
/// </remarks>
public static class AbiDecoder
{
    private const int Word = AbiType.WordSize;

    /// <summary>Decodes the canonical encoding of a value of <paramref name="type"/>.</summary>
    /// <param name="type">The type to decode; a tuple of the parameter types for <c>abi.encode(a, b, …)</c> output.</param>
    /// <param name="data">Exactly the encoding, without a selector.</param>
    /// <returns>The value, with integers as <see cref="AbiValueKind.Integer"/> whatever their width.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is <see langword="null"/>.</exception>
    /// <exception cref="AbiDecodingException"><paramref name="data"/> is not exactly a canonical encoding of a value of <paramref name="type"/>.</exception>
    public static AbiValue Decode(AbiType type, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(type);
        AbiValue value = Read(type, data, 0, out int end);
        if (end != data.Length)
        {
            throw new AbiDecodingException(end, $"{data.Length - end} trailing bytes after the encoding");
        }

        return value;
    }

    private static AbiValue Read(AbiType type, ReadOnlySpan<byte> data, int start, out int end)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.UInt or AbiTypeKind.Int:
                end = start + Word;
                return AbiValue.FromInteger(ReadInteger(type, WordAt(data, start), start));
            case AbiTypeKind.Address:
            {
                ReadOnlySpan<byte> word = WordAt(data, start);
                RequireZero(word[..12], start, "non-zero address padding");
                end = start + Word;
                return AbiValue.FromAddress(new Address(word[12..]));
            }

            case AbiTypeKind.Bool:
            {
                ReadOnlySpan<byte> word = WordAt(data, start);
                if (word[..(Word - 1)].ContainsAnyExcept((byte)0) || word[Word - 1] > 1)
                {
                    throw new AbiDecodingException(start, "a bool is 0 or 1");
                }

                end = start + Word;
                return AbiValue.FromBool(word[Word - 1] == 1);
            }

            case AbiTypeKind.FixedBytes:
            {
                ReadOnlySpan<byte> word = WordAt(data, start);
                RequireZero(word[type.Size..], start, $"non-zero {type} padding");
                end = start + Word;
                return AbiValue.FromOwnedBytes(word[..type.Size].ToArray());
            }

            case AbiTypeKind.Bytes:
                return AbiValue.FromOwnedBytes(ReadBytes(data, start, out end).ToArray());
            case AbiTypeKind.String:
            {
                ReadOnlySpan<byte> utf8 = ReadBytes(data, start, out end);
                if (!Utf8.IsValid(utf8))
                {
                    throw new AbiDecodingException(start + Word, "a string is not valid UTF-8");
                }

                return AbiValue.FromString(AbiEncoder.StrictUtf8.GetString(utf8));
            }

            case AbiTypeKind.FixedArray:
                return AbiValue.FromOwnedItems(AbiValueKind.Array, ReadSequence(type.ElementType!, null, type.Length, data, start, out end));
            case AbiTypeKind.DynamicArray:
            {
                int count = ReadLength(data, start);
                AbiType element = type.ElementType!;

                // Each element takes at least its head, so a count the input cannot hold is refused before allocating.
                if (count > (data.Length - start - Word) / element.HeadSize)
                {
                    throw new AbiDecodingException(start, $"an array of {count} {element} needs more bytes than remain");
                }

                return AbiValue.FromOwnedItems(AbiValueKind.Array, ReadSequence(element, null, count, data, start + Word, out end));
            }

            default:
                return AbiValue.FromOwnedItems(AbiValueKind.Tuple, ReadSequence(null, type.ComponentArray, type.ComponentArray.Length, data, start, out end));
        }
    }

    private static AbiValue[] ReadSequence(AbiType? element, AbiType[]? components, int count, ReadOnlySpan<byte> data, int start, out int end)
    {
        long headSize = element is not null ? (long)element.HeadSize * count : 0;
        for (int i = 0; element is null && i < count; i++)
        {
            headSize += components![i].HeadSize;
        }

        if (headSize > data.Length - start)
        {
            throw new AbiDecodingException(data.Length, $"the input ends {headSize - (data.Length - start)} bytes short of the {headSize}-byte head starting at {start}");
        }

        var items = new AbiValue[count];
        int head = start;
        int tail = start + (int)headSize;
        for (int i = 0; i < count; i++)
        {
            AbiType type = element ?? components![i];
            if (type.IsDynamic)
            {
                int offset = ReadOffset(data, head, start, tail);
                items[i] = Read(type, data, start + offset, out tail);
            }
            else
            {
                items[i] = Read(type, data, head, out _);
            }

            head += type.HeadSize;
        }

        end = tail;
        return items;
    }

    private static int ReadOffset(ReadOnlySpan<byte> data, int position, int start, int expected)
    {
        ReadOnlySpan<byte> word = WordAt(data, position);
        if (word[..(Word - 4)].ContainsAnyExcept((byte)0) || BinaryPrimitives.ReadUInt32BigEndian(word[(Word - 4)..]) > int.MaxValue - start)
        {
            throw new AbiDecodingException(position, "an offset points beyond any possible input");
        }

        int offset = BinaryPrimitives.ReadInt32BigEndian(word[(Word - 4)..]);
        if (offset % Word != 0)
        {
            throw new AbiDecodingException(position, $"offset {offset} is not a multiple of 32");
        }

        if (start + offset >= data.Length)
        {
            throw new AbiDecodingException(position, $"offset {offset} points past the end of the input");
        }

        if (start + offset != expected)
        {
            throw new AbiDecodingException(position, $"offset {offset} is not where the canonical layout puts this tail ({expected - start})");
        }

        return offset;
    }

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> data, int start, out int end)
    {
        int length = ReadLength(data, start);
        int padded = AbiEncoder.PaddedLength(length);
        if (padded > data.Length - start - Word)
        {
            throw new AbiDecodingException(start, $"a length of {length} bytes needs more bytes than remain");
        }

        ReadOnlySpan<byte> content = data.Slice(start + Word, length);
        RequireZero(data.Slice(start + Word + length, padded - length), start + Word + (length / Word * Word), "non-zero padding after bytes");
        end = start + Word + padded;
        return content;
    }

    private static int ReadLength(ReadOnlySpan<byte> data, int position)
    {
        ReadOnlySpan<byte> word = WordAt(data, position);
        if (word[..(Word - 4)].ContainsAnyExcept((byte)0) || BinaryPrimitives.ReadUInt32BigEndian(word[(Word - 4)..]) > int.MaxValue)
        {
            throw new AbiDecodingException(position, "a length exceeds any possible input");
        }

        return BinaryPrimitives.ReadInt32BigEndian(word[(Word - 4)..]);
    }

    private static BigInteger ReadInteger(AbiType type, ReadOnlySpan<byte> word, int position)
    {
        int size = type.Size / 8;
        ReadOnlySpan<byte> padding = word[..(Word - size)];
        ReadOnlySpan<byte> value = word[(Word - size)..];
        if (type.Kind == AbiTypeKind.UInt)
        {
            RequireZero(padding, position, $"{type} is out of range");
            return new BigInteger(value, isUnsigned: true, isBigEndian: true);
        }

        byte sign = (value[0] & 0x80) != 0 ? (byte)0xFF : (byte)0;
        if (padding.ContainsAnyExcept(sign))
        {
            throw new AbiDecodingException(position, $"{type} is out of range: the word is not a sign extension");
        }

        return new BigInteger(value, isUnsigned: false, isBigEndian: true);
    }

    private static ReadOnlySpan<byte> WordAt(ReadOnlySpan<byte> data, int position) =>
        position <= data.Length - Word
            ? data.Slice(position, Word)
            : throw new AbiDecodingException(data.Length, $"the input ends before the word at {position}");

    private static void RequireZero(ReadOnlySpan<byte> bytes, int position, string problem)
    {
        if (bytes.ContainsAnyExcept((byte)0))
        {
            throw new AbiDecodingException(position, problem);
        }
    }
}
