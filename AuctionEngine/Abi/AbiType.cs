using System.Globalization;
using System.Text;

namespace AuctionEngine.Abi;

/// <summary>
/// A Solidity ABI type: an elementary type, a fixed or dynamic array, or a tuple nested to any depth, with its
/// canonical name (the spelling that function selectors hash) and its layout in an encoding.
/// </summary>
/// <remarks>
/// <para>
/// Instances are immutable and compare equal when their canonical names are equal, so a parsed type and one built
/// from the factory members are interchangeable. <see cref="Parse"/> accepts the aliases <c>uint</c>, <c>int</c> and
/// the prefix <c>tuple</c> because ABI JSON and ethers write them, and always produces the canonical spelling.
/// </para>
/// <para>
/// Empty tuples and zero-length fixed arrays are refused: Solidity has neither, and a type that encodes to no bytes
/// would let a decoder be asked for billions of elements backed by no input at all.
/// </para>
/// </remarks>
public sealed class AbiType : IEquatable<AbiType>
{
    /// <summary>The number of bytes in an ABI word; every encoding is a whole number of words.</summary>
    public const int WordSize = 32;

    /// <summary>
    /// The deepest nesting of arrays and tuples accepted, so that encoding and decoding, which recurse once per level,
    /// cannot exhaust the stack whatever type string they are handed.
    /// </summary>
    public const int MaxDepth = 64;

    private static readonly AbiType[] UIntTypes = CreateIntegers(AbiTypeKind.UInt);
    private static readonly AbiType[] IntTypes = CreateIntegers(AbiTypeKind.Int);
    private static readonly AbiType[] FixedBytesTypes = CreateFixedBytes();

    private readonly AbiType[] _components;

    private AbiType(AbiTypeKind kind, int size, int length, AbiType? element, AbiType[] components, string canonicalName, int headSize, bool isDynamic, int depth)
    {
        Kind = kind;
        Size = size;
        Length = length;
        ElementType = element;
        _components = components;
        CanonicalName = canonicalName;
        HeadSize = headSize;
        IsDynamic = isDynamic;
        Depth = depth;
    }

    /// <summary>The <c>address</c> type.</summary>
    public static AbiType Address { get; } = Elementary(AbiTypeKind.Address, 0, "address");

    /// <summary>The <c>bool</c> type.</summary>
    public static AbiType Bool { get; } = Elementary(AbiTypeKind.Bool, 0, "bool");

    /// <summary>The dynamic <c>bytes</c> type.</summary>
    public static AbiType Bytes { get; } = new(AbiTypeKind.Bytes, 0, 0, null, [], "bytes", WordSize, isDynamic: true, depth: 0);

    /// <summary>The <c>string</c> type.</summary>
    public static AbiType String { get; } = new(AbiTypeKind.String, 0, 0, null, [], "string", WordSize, isDynamic: true, depth: 0);

    /// <summary>What kind of type this is.</summary>
    public AbiTypeKind Kind { get; }

    /// <summary>The width in bits of a <c>uint&lt;M&gt;</c> or <c>int&lt;M&gt;</c>, the byte count of a <c>bytes&lt;M&gt;</c>; otherwise 0.</summary>
    public int Size { get; }

    /// <summary>The element count k of a fixed array <c>T[k]</c>; otherwise 0.</summary>
    public int Length { get; }

    /// <summary>The element type of an array; <see langword="null"/> for other kinds.</summary>
    public AbiType? ElementType { get; }

    /// <summary>The component types of a tuple, in order; empty for other kinds.</summary>
    public IReadOnlyList<AbiType> Components => _components;

    /// <summary>The canonical spelling, e.g. <c>(uint256,address[],(bytes,string)[2])[]</c>.</summary>
    public string CanonicalName { get; }

    /// <summary>
    /// Whether the encoding's length depends on the value (<c>bytes</c>, <c>string</c>, <c>T[]</c>, and arrays and
    /// tuples that contain one); such a value sits in its container's tail, behind an offset in the head.
    /// </summary>
    public bool IsDynamic { get; }

    /// <summary>
    /// The bytes this type takes in its container's head: the whole encoding of a static type, one offset word for a
    /// dynamic one.
    /// </summary>
    public int HeadSize { get; }

    /// <summary>The nesting depth: 0 for an elementary type, one more than the deepest element or component otherwise.</summary>
    public int Depth { get; }

    internal AbiType[] ComponentArray => _components;

    /// <summary>The <c>uint&lt;M&gt;</c> type.</summary>
    /// <param name="bits">M: 8 to 256, a multiple of 8.</param>
    /// <returns>The type.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is not a multiple of 8 from 8 to 256.</exception>
    public static AbiType UInt(int bits = 256) => UIntTypes[IntegerIndex(bits)];

    /// <summary>The <c>int&lt;M&gt;</c> type.</summary>
    /// <param name="bits">M: 8 to 256, a multiple of 8.</param>
    /// <returns>The type.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is not a multiple of 8 from 8 to 256.</exception>
    public static AbiType Int(int bits = 256) => IntTypes[IntegerIndex(bits)];

    /// <summary>The <c>bytes&lt;M&gt;</c> type.</summary>
    /// <param name="size">M: 1 to 32.</param>
    /// <returns>The type.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not from 1 to 32.</exception>
    public static AbiType FixedBytes(int size)
    {
        if (size is < 1 or > WordSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "bytes<M> needs M from 1 to 32.");
        }

        return FixedBytesTypes[size - 1];
    }

    /// <summary>The fixed array type <c>T[k]</c>.</summary>
    /// <param name="element">T.</param>
    /// <param name="length">k, at least 1.</param>
    /// <returns>The type.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="element"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="length"/> is below 1, the type's static encoding would exceed <see cref="int.MaxValue"/> bytes,
    /// or it would nest deeper than <see cref="MaxDepth"/>.
    /// </exception>
    public static AbiType FixedArray(AbiType element, int length)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (length < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A fixed array has at least one element.");
        }

        long headSize = element.IsDynamic ? WordSize : (long)element.HeadSize * length;
        if (headSize > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "The array's static encoding would exceed 2^31 - 1 bytes.");
        }

        int depth = CheckedDepth(element.Depth + 1, nameof(element));
        string name = element.CanonicalName + "[" + length.ToString(CultureInfo.InvariantCulture) + "]";
        return new AbiType(AbiTypeKind.FixedArray, 0, length, element, [], name, (int)headSize, element.IsDynamic, depth);
    }

    /// <summary>The dynamic array type <c>T[]</c>.</summary>
    /// <param name="element">T.</param>
    /// <returns>The type.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="element"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The type would nest deeper than <see cref="MaxDepth"/>.</exception>
    public static AbiType DynamicArray(AbiType element)
    {
        ArgumentNullException.ThrowIfNull(element);
        int depth = CheckedDepth(element.Depth + 1, nameof(element));
        return new AbiType(AbiTypeKind.DynamicArray, 0, 0, element, [], element.CanonicalName + "[]", WordSize, isDynamic: true, depth);
    }

    /// <summary>The tuple type <c>(T1,…,Tn)</c>.</summary>
    /// <param name="components">T1 to Tn; at least one.</param>
    /// <returns>The type.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="components"/> or one of its entries is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="components"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The tuple's static encoding would exceed <see cref="int.MaxValue"/> bytes, or it would nest deeper than
    /// <see cref="MaxDepth"/>.
    /// </exception>
    public static AbiType Tuple(params AbiType[] components)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Length == 0)
        {
            throw new ArgumentException("A tuple has at least one component.", nameof(components));
        }

        AbiType[] copy = [.. components];
        long headSize = 0;
        int depth = 0;
        bool isDynamic = false;
        var name = new StringBuilder("(");
        for (int i = 0; i < copy.Length; i++)
        {
            AbiType component = copy[i] ?? throw new ArgumentNullException(nameof(components), $"Component {i} is null.");
            headSize += component.HeadSize;
            depth = Math.Max(depth, component.Depth);
            isDynamic |= component.IsDynamic;
            name.Append(i == 0 ? "" : ",").Append(component.CanonicalName);
        }

        if (headSize > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(components), "The tuple's static encoding would exceed 2^31 - 1 bytes.");
        }

        depth = CheckedDepth(depth + 1, nameof(components));
        return new AbiType(AbiTypeKind.Tuple, 0, 0, null, copy, name.Append(')').ToString(), isDynamic ? WordSize : (int)headSize, isDynamic, depth);
    }

    /// <summary>Parses a type such as <c>(uint256,address[],(bytes,string)[2])[]</c>.</summary>
    /// <param name="text">The type, without spaces; <c>uint</c>, <c>int</c> and a <c>tuple</c> prefix are accepted as aliases.</param>
    /// <returns>The type.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not a well-formed ABI type within the limits above.</exception>
    public static AbiType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int position = 0;
        AbiType type = ParseType(text, ref position, 0);
        if (position != text.Length)
        {
            throw Malformed(text, position, "unexpected character");
        }

        return type;
    }

    /// <summary>Parses a comma-separated parameter list such as <c>address,uint256</c> (empty for no parameters).</summary>
    /// <param name="text">The list, without parentheses or spaces.</param>
    /// <returns>The types, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">An entry is not a well-formed ABI type.</exception>
    public static AbiType[] ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var types = new List<AbiType>();
        int position = 0;
        while (true)
        {
            types.Add(ParseType(text, ref position, 0));
            if (position == text.Length)
            {
                return [.. types];
            }

            if (text[position] != ',')
            {
                throw Malformed(text, position, "expected ','");
            }

            position++;
        }
    }

    /// <summary>Whether both types have the same canonical name.</summary>
    /// <param name="other">The type to compare with.</param>
    /// <returns>Whether they are the same type.</returns>
    public bool Equals(AbiType? other) => other is not null && CanonicalName == other.CanonicalName;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AbiType);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(CanonicalName);

    /// <summary>The canonical name.</summary>
    /// <returns><see cref="CanonicalName"/>.</returns>
    public override string ToString() => CanonicalName;

    // Nesting counts the tuples open around this position, so the recursion is refused before it can get deep.
    private static AbiType ParseType(string text, ref int position, int nesting)
    {
        AbiType type = text.AsSpan(position).StartsWith("(", StringComparison.Ordinal) || text.AsSpan(position).StartsWith("tuple(", StringComparison.Ordinal)
            ? ParseTuple(text, ref position, nesting)
            : ParseElementary(text, ref position);

        while (position < text.Length && text[position] == '[')
        {
            int start = position;
            int close = text.IndexOf(']', position);
            if (close < 0)
            {
                throw Malformed(text, position, "unclosed '['");
            }

            ReadOnlySpan<char> digits = text.AsSpan(position + 1, close - position - 1);
            position = close + 1;
            if (type.Depth + 1 > MaxDepth)
            {
                throw Malformed(text, start, $"nested deeper than {MaxDepth}");
            }

            if (digits.IsEmpty)
            {
                type = DynamicArray(type);
                continue;
            }

            if (!TryParseCount(digits, out int length) || length == 0)
            {
                throw Malformed(text, start + 1, "a fixed array length is a positive decimal number without leading zeros");
            }

            if (!type.IsDynamic && (long)type.HeadSize * length > int.MaxValue)
            {
                throw Malformed(text, start + 1, "the array's static encoding would exceed 2^31 - 1 bytes");
            }

            type = FixedArray(type, length);
        }

        return type;
    }

    private static AbiType ParseTuple(string text, ref int position, int nesting)
    {
        int start = position;
        if (nesting >= MaxDepth)
        {
            throw Malformed(text, start, $"nested deeper than {MaxDepth}");
        }

        position = text.IndexOf('(', position) + 1;
        var components = new List<AbiType>();
        if (position < text.Length && text[position] == ')')
        {
            throw Malformed(text, start, "a tuple has at least one component");
        }

        while (true)
        {
            if (position >= text.Length)
            {
                throw Malformed(text, position, "unclosed '('");
            }

            AbiType component = ParseType(text, ref position, nesting + 1);
            if (component.Depth + 1 > MaxDepth)
            {
                throw Malformed(text, start, $"nested deeper than {MaxDepth}");
            }

            components.Add(component);
            if (position >= text.Length)
            {
                throw Malformed(text, position, "unclosed '('");
            }

            char c = text[position++];
            if (c == ')')
            {
                break;
            }

            if (c != ',')
            {
                throw Malformed(text, position - 1, "expected ',' or ')'");
            }
        }

        long headSize = 0;
        foreach (AbiType component in components)
        {
            headSize += component.HeadSize;
        }

        if (headSize > int.MaxValue)
        {
            throw Malformed(text, start, "the tuple's static encoding would exceed 2^31 - 1 bytes");
        }

        return Tuple([.. components]);
    }

    private static AbiType ParseElementary(string text, ref int position)
    {
        int start = position;
        while (position < text.Length && char.IsAsciiLetterOrDigit(text[position]))
        {
            position++;
        }

        ReadOnlySpan<char> word = text.AsSpan(start, position - start);
        AbiType? type = word switch
        {
            "address" => Address,
            "bool" => Bool,
            "bytes" => Bytes,
            "string" => String,
            "uint" => UInt(),
            "int" => Int(),
            _ when word.StartsWith("uint", StringComparison.Ordinal) => SizedInteger(word[4..], UIntTypes),
            _ when word.StartsWith("int", StringComparison.Ordinal) => SizedInteger(word[3..], IntTypes),
            _ when word.StartsWith("bytes", StringComparison.Ordinal) && TryParseCount(word[5..], out int size) && size is >= 1 and <= WordSize => FixedBytesTypes[size - 1],
            _ => null,
        };

        return type ?? throw Malformed(text, start, word.IsEmpty ? "expected a type" : $"unknown type '{word}'");
    }

    private static AbiType? SizedInteger(ReadOnlySpan<char> digits, AbiType[] types) =>
        TryParseCount(digits, out int bits) && bits is >= 8 and <= 256 && bits % 8 == 0 ? types[(bits / 8) - 1] : null;

    // Canonical names are hashed into selectors, so "uint08" or "[01]" must not parse to a type spelled differently.
    private static bool TryParseCount(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 9 || (digits[0] == '0' && digits.Length > 1))
        {
            return false;
        }

        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static FormatException Malformed(string text, int position, string problem) =>
        new($"'{text}' is not an ABI type: {problem} at position {position}.");

    private static int IntegerIndex(int bits)
    {
        if (bits is < 8 or > 256 || bits % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "An integer type has 8 to 256 bits, a multiple of 8.");
        }

        return (bits / 8) - 1;
    }

    private static int CheckedDepth(int depth, string paramName) =>
        depth <= MaxDepth ? depth : throw new ArgumentOutOfRangeException(paramName, $"ABI types nest at most {MaxDepth} deep.");

    private static AbiType Elementary(AbiTypeKind kind, int size, string name) =>
        new(kind, size, 0, null, [], name, WordSize, isDynamic: false, depth: 0);

    private static AbiType[] CreateIntegers(AbiTypeKind kind)
    {
        string prefix = kind == AbiTypeKind.UInt ? "uint" : "int";
        var types = new AbiType[32];
        for (int i = 0; i < types.Length; i++)
        {
            int bits = (i + 1) * 8;
            types[i] = Elementary(kind, bits, prefix + bits.ToString(CultureInfo.InvariantCulture));
        }

        return types;
    }

    private static AbiType[] CreateFixedBytes()
    {
        var types = new AbiType[WordSize];
        for (int i = 0; i < types.Length; i++)
        {
            types[i] = Elementary(AbiTypeKind.FixedBytes, i + 1, "bytes" + (i + 1).ToString(CultureInfo.InvariantCulture));
        }

        return types;
    }
}
