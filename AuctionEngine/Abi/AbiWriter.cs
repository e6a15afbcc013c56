using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using AuctionEngine.Primitives;

namespace AuctionEngine.Abi;

/// <summary>
/// A forward-only ABI writer for hot paths: it appends 32-byte words to an <see cref="IBufferWriter{T}"/> and lays out
/// heads and tails from tail lengths the caller declares, so calldata of a known shape is written without building a
/// value tree and, once the output buffer has grown, without allocating.
/// </summary>
/// <remarks>
/// <para>
/// Heads come before tails, so a dynamic member's offset must be known before its tail is written. The caller opens a
/// head with <see cref="BeginTuple"/> (for a tuple, or for the elements of an array whose elements are dynamic),
/// writes each member's head in order (a static member's words, or <see cref="WriteOffset"/> with the length its tail
/// will have), then each dynamic member's tail in the same order, and closes with <see cref="EndTuple"/>, which checks
/// that the tails had the declared lengths. <see cref="BytesTailLength"/>, <see cref="StringTailLength"/> and
/// <see cref="ArrayTailLength"/> give those lengths. A static array or tuple inside a head is just its words in order.
/// </para>
/// <para>
/// For <c>settle(uint64,uint256,(address,uint8,uint256,uint256)[],bytes32[])</c>: <c>WriteSelector</c>,
/// <c>BeginTuple(4)</c>, <c>WriteUInt(batchId)</c>, <c>WriteUInt(price)</c>, <c>WriteOffset(ArrayTailLength(fills, 4))</c>,
/// <c>WriteOffset(ArrayTailLength(commitments, 1))</c>, then <c>WriteLength(fills)</c> and four words per fill, then
/// <c>WriteLength(commitments)</c> and one word each, and <c>EndTuple()</c>.
/// </para>
/// <para>
/// The writer does not know the parameter types: integers are written as 256-bit words and the caller keeps each one
/// within its <c>uint&lt;M&gt;</c> or <c>int&lt;M&gt;</c>. Like <c>Utf8JsonWriter</c>, an instance is reused across
/// messages with <see cref="Reset"/> and is not thread-safe.
/// </para>
/// </remarks>
public sealed class AbiWriter
{
    private const int Word = AbiType.WordSize;

    private readonly Frame[] _frames;
    private IBufferWriter<byte>? _output;
    private int _depth;

    /// <summary>Creates a writer with no output yet; call <see cref="Reset"/> before writing.</summary>
    /// <param name="maxDepth">The deepest nesting of <see cref="BeginTuple"/> the writer will allow; its bookkeeping is sized once, here.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDepth"/> is below 1 or above <see cref="AbiType.MaxDepth"/>.</exception>
    public AbiWriter(int maxDepth = 8)
    {
        if (maxDepth is < 1 or > AbiType.MaxDepth)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDepth), maxDepth, $"The depth must be from 1 to {AbiType.MaxDepth}.");
        }

        _frames = new Frame[maxDepth];
    }

    /// <summary>The bytes written since the last <see cref="Reset"/>.</summary>
    public int BytesWritten { get; private set; }

    /// <summary>The number of heads opened by <see cref="BeginTuple"/> and not yet closed.</summary>
    public int Depth => _depth;

    /// <summary>Starts a new message into <paramref name="output"/>, forgetting any unfinished one.</summary>
    /// <param name="output">Where the words go; typically an <see cref="ArrayBufferWriter{T}"/> reset between messages.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    public void Reset(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _depth = 0;
        BytesWritten = 0;
    }

    /// <summary>Writes a four-byte function selector, which calldata starts with; offsets then count from after it.</summary>
    /// <param name="selector">The selector, e.g. <see cref="AbiFunction.Selector"/>.</param>
    /// <exception cref="InvalidOperationException">Something was already written since <see cref="Reset"/>, or there is no output.</exception>
    public void WriteSelector(uint selector)
    {
        if (BytesWritten != 0)
        {
            ThrowHelper.ThrowInvalidOperation_AbiWriter("A selector comes first in calldata.");
        }

        Span<byte> destination = Reserve(AbiFunction.SelectorSize);
        BinaryPrimitives.WriteUInt32BigEndian(destination, selector);
        Commit(AbiFunction.SelectorSize);
    }

    /// <summary>
    /// Opens a head of <paramref name="headWords"/> words: a tuple's (one per static word of its members, one per
    /// dynamic member), or the elements of an array of dynamic elements (one per element, after the array's length).
    /// </summary>
    /// <param name="headWords">The number of words the head takes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="headWords"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The writer's maximum depth is reached.</exception>
    public void BeginTuple(int headWords)
    {
        if (headWords < 1 || headWords > (int.MaxValue - BytesWritten) / Word)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(headWords), "A head takes at least one word and must fit in 2^31 - 1 bytes.");
        }

        if (_depth == _frames.Length)
        {
            ThrowHelper.ThrowInvalidOperation_AbiWriter("The writer's maximum depth is reached.");
        }

        int headEnd = BytesWritten + (headWords * Word);
        _frames[_depth++] = new Frame(BytesWritten, headEnd, headEnd);
    }

    /// <summary>Writes a dynamic member's head word: the offset where its tail will start, given the tails declared before it.</summary>
    /// <param name="tailLength">The length in bytes the member's tail will have: a positive multiple of 32.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tailLength"/> is not a positive multiple of 32.</exception>
    /// <exception cref="InvalidOperationException">No head is open, or its head words are all written.</exception>
    public void WriteOffset(int tailLength)
    {
        if (_depth == 0 || BytesWritten >= _frames[_depth - 1].HeadEnd)
        {
            ThrowHelper.ThrowInvalidOperation_AbiWriter("An offset belongs in an open head (BeginTuple) that still has room.");
        }

        ref Frame frame = ref _frames[_depth - 1];
        if (tailLength <= 0 || tailLength % Word != 0 || tailLength > int.MaxValue - frame.NextTail)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(tailLength), "A tail length is a positive multiple of 32 and the message must fit in 2^31 - 1 bytes.");
        }

        WriteUInt((ulong)(frame.NextTail - frame.Start));
        frame.NextTail += tailLength;
    }

    /// <summary>Closes the innermost head after its tails, checking that everything written matches what was declared.</summary>
    /// <exception cref="InvalidOperationException">
    /// No head is open, or the bytes written since <see cref="BeginTuple"/> are not the head words plus the declared
    /// tail lengths, which means an offset written earlier is wrong.
    /// </exception>
    public void EndTuple()
    {
        if (_depth == 0)
        {
            ThrowHelper.ThrowInvalidOperation_AbiWriter("There is no open head to end.");
        }

        Frame frame = _frames[--_depth];
        if (BytesWritten != frame.NextTail)
        {
            ThrowHelper.ThrowInvalidOperation_AbiWriterLayout(BytesWritten - frame.Start, frame.NextTail - frame.Start);
        }
    }

    /// <summary>Writes an unsigned integer word.</summary>
    /// <param name="value">The value; the caller keeps it within the parameter's <c>uint&lt;M&gt;</c>.</param>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteUInt(ulong value)
    {
        Span<byte> word = Reserve(Word);
        word[..24].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(word[24..], value);
        Commit(Word);
    }

    /// <summary>Writes an unsigned integer word.</summary>
    /// <param name="value">The value; the caller keeps it within the parameter's <c>uint&lt;M&gt;</c>.</param>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteUInt(UInt128 value)
    {
        Span<byte> word = Reserve(Word);
        word[..16].Clear();
        BinaryPrimitives.WriteUInt128BigEndian(word[16..], value);
        Commit(Word);
    }

    /// <summary>Writes an unsigned integer word.</summary>
    /// <param name="value">The value, from 0 to 2^256 - 1; the caller keeps it within the parameter's <c>uint&lt;M&gt;</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative or above 2^256 - 1.</exception>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteUInt(BigInteger value)
    {
        if (value.Sign < 0 || value.GetBitLength() > 256)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(value), "A uint256 is from 0 to 2^256 - 1.");
        }

        Span<byte> word = Reserve(Word);
        AbiEncoder.WriteInteger(value, word[..Word]);
        Commit(Word);
    }

    /// <summary>Writes a signed integer word, sign-extended to 256 bits.</summary>
    /// <param name="value">The value; the caller keeps it within the parameter's <c>int&lt;M&gt;</c>.</param>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteInt(long value)
    {
        Span<byte> word = Reserve(Word);
        word[..24].Fill(value < 0 ? (byte)0xFF : (byte)0);
        BinaryPrimitives.WriteInt64BigEndian(word[24..], value);
        Commit(Word);
    }

    /// <summary>Writes a signed integer word, sign-extended to 256 bits.</summary>
    /// <param name="value">The value; the caller keeps it within the parameter's <c>int&lt;M&gt;</c>.</param>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteInt(Int128 value)
    {
        Span<byte> word = Reserve(Word);
        word[..16].Fill(Int128.IsNegative(value) ? (byte)0xFF : (byte)0);
        BinaryPrimitives.WriteInt128BigEndian(word[16..], value);
        Commit(Word);
    }

    /// <summary>Writes a signed integer word in two's complement.</summary>
    /// <param name="value">The value, from -2^255 to 2^255 - 1; the caller keeps it within the parameter's <c>int&lt;M&gt;</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is outside the <c>int256</c> range.</exception>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteInt(BigInteger value)
    {
        if (value.GetBitLength() > 255)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(value), "An int256 is from -2^255 to 2^255 - 1.");
        }

        Span<byte> word = Reserve(Word);
        AbiEncoder.WriteInteger(value, word[..Word]);
        Commit(Word);
    }

    /// <summary>Writes an <c>address</c> word.</summary>
    /// <param name="value">The address.</param>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteAddress(Address value)
    {
        Span<byte> word = Reserve(Word);
        word[..12].Clear();
        value.WriteTo(word[12..]);
        Commit(Word);
    }

    /// <summary>Writes a <c>bool</c> word.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteBool(bool value) => WriteUInt(value ? 1UL : 0UL);

    /// <summary>Writes a <c>bytes32</c> word.</summary>
    /// <param name="value">The 32 bytes.</param>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteBytes32(Hash32 value)
    {
        value.WriteTo(Reserve(Word));
        Commit(Word);
    }

    /// <summary>Writes a <c>bytes&lt;M&gt;</c> word: the bytes, then zeros.</summary>
    /// <param name="value">M bytes, 1 to 32.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is empty or longer than 32 bytes.</exception>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteFixedBytes(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Length > Word)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(value), "A bytes<M> value has 1 to 32 bytes.");
        }

        Span<byte> word = Reserve(Word);
        value.CopyTo(word);
        word[value.Length..Word].Clear();
        Commit(Word);
    }

    /// <summary>Writes an array's length word, which starts a <c>T[]</c> tail.</summary>
    /// <param name="count">The number of elements.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteLength(int count)
    {
        if (count < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count), "A length is not negative.");
        }

        WriteUInt((ulong)count);
    }

    /// <summary>Writes a <c>bytes</c> tail: the length word, then the bytes padded with zeros to whole words.</summary>
    /// <param name="value">The bytes; its tail takes <see cref="BytesTailLength"/> of its length.</param>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        int tail = BytesTailLength(value.Length);
        Span<byte> destination = Reserve(tail);
        destination[..24].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..Word], (ulong)value.Length);
        value.CopyTo(destination[Word..]);
        destination[(Word + value.Length)..tail].Clear();
        Commit(tail);
    }

    /// <summary>Writes a <c>string</c> tail: the UTF-8 length word, then the UTF-8 bytes padded with zeros to whole words.</summary>
    /// <param name="value">The text; its tail takes <see cref="StringTailLength"/> of it.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not valid UTF-16 (a lone surrogate).</exception>
    /// <exception cref="InvalidOperationException">There is no output.</exception>
    public void WriteString(ReadOnlySpan<char> value)
    {
        int length = AbiEncoder.StrictUtf8.GetByteCount(value);
        int tail = BytesTailLength(length);
        Span<byte> destination = Reserve(tail);
        destination[..24].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..Word], (ulong)length);
        AbiEncoder.StrictUtf8.GetBytes(value, destination[Word..]);
        destination[(Word + length)..tail].Clear();
        Commit(tail);
    }

    /// <summary>The tail length of a <c>bytes</c> value: a length word and the bytes rounded up to whole words.</summary>
    /// <param name="byteCount">The number of bytes.</param>
    /// <returns>The tail length in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="byteCount"/> is negative or the tail would exceed 2^31 - 1 bytes.</exception>
    public static int BytesTailLength(int byteCount)
    {
        if (byteCount is < 0 or > int.MaxValue - (2 * Word))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(byteCount), "The tail must fit in 2^31 - 1 bytes.");
        }

        return Word + AbiEncoder.PaddedLength(byteCount);
    }

    /// <summary>The tail length of a <c>string</c> value: a length word and its UTF-8 bytes rounded up to whole words.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The tail length in bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not valid UTF-16 (a lone surrogate).</exception>
    public static int StringTailLength(ReadOnlySpan<char> value) => BytesTailLength(AbiEncoder.StrictUtf8.GetByteCount(value));

    /// <summary>
    /// The tail length of a <c>T[]</c> whose elements are static: a length word and <paramref name="elementWords"/>
    /// words per element (1 for <c>uint256[]</c> or <c>bytes32[]</c>, 4 for <c>(address,uint8,uint256,uint256)[]</c>).
    /// </summary>
    /// <param name="count">The number of elements.</param>
    /// <param name="elementWords">The words each element takes.</param>
    /// <returns>The tail length in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or the tail would exceed 2^31 - 1 bytes.</exception>
    public static int ArrayTailLength(int count, int elementWords)
    {
        long length = Word + ((long)count * elementWords * Word);
        if (count < 0 || elementWords < 1 || length > int.MaxValue)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count), "Counts are not negative, an element takes at least one word, and the tail must fit in 2^31 - 1 bytes.");
        }

        return (int)length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if (_output is null)
        {
            ThrowHelper.ThrowInvalidOperation_AbiWriter("The writer has no output; call Reset first.");
        }

        return _output.GetSpan(size)[..size];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Commit(int size)
    {
        _output!.Advance(size);
        BytesWritten += size;
    }

    /// <summary>An open head: offsets count from <see cref="Start"/>; the next declared tail starts at <see cref="NextTail"/>.</summary>
    private record struct Frame(int Start, int HeadEnd, int NextTail);
}
