using System.Globalization;
using System.Numerics;
using System.Text;
using AuctionEngine.Primitives;

namespace AuctionEngine.Abi;

/// <summary>The shapes an <see cref="AbiValue"/> can take.</summary>
public enum AbiValueKind
{
    /// <summary>An integer, for <c>uint&lt;M&gt;</c> and <c>int&lt;M&gt;</c>.</summary>
    Integer,

    /// <summary>A 20-byte address, for <c>address</c>.</summary>
    Address,

    /// <summary>A truth value, for <c>bool</c>.</summary>
    Bool,

    /// <summary>A byte sequence, for <c>bytes&lt;M&gt;</c> and <c>bytes</c>.</summary>
    Bytes,

    /// <summary>Text, for <c>string</c>.</summary>
    String,

    /// <summary>An ordered list of values, for <c>T[k]</c> and <c>T[]</c>.</summary>
    Array,

    /// <summary>One value per component, for tuples.</summary>
    Tuple,
}

/// <summary>
/// A value to encode, or one that was decoded: an immutable union over the shapes listed in <see cref="AbiValueKind"/>.
/// </summary>
/// <remarks>
/// A value does not carry its type: the same integer encodes as any <c>uint&lt;M&gt;</c> it fits, and the encoder
/// checks it against the <see cref="AbiType"/> it is given. Equality is structural (byte-wise for bytes, ordinal for
/// text), so a decoded value equals the one that was encoded.
/// </remarks>
public sealed class AbiValue : IEquatable<AbiValue>
{
    private static readonly AbiValue True = new(AbiValueKind.Bool, BigInteger.One, default, null, null, null);
    private static readonly AbiValue False = new(AbiValueKind.Bool, BigInteger.Zero, default, null, null, null);

    private readonly BigInteger _integer;
    private readonly Address _address;
    private readonly byte[]? _bytes;
    private readonly string? _text;
    private readonly AbiValue[]? _items;

    private AbiValue(AbiValueKind kind, BigInteger integer, Address address, byte[]? bytes, string? text, AbiValue[]? items)
    {
        Kind = kind;
        _integer = integer;
        _address = address;
        _bytes = bytes;
        _text = text;
        _items = items;
    }

    /// <summary>The shape of this value.</summary>
    public AbiValueKind Kind { get; }

    /// <summary>The integer of an <see cref="AbiValueKind.Integer"/> value.</summary>
    /// <exception cref="InvalidOperationException">The value is not an integer.</exception>
    public BigInteger Integer => Kind == AbiValueKind.Integer ? _integer : throw WrongKind(AbiValueKind.Integer);

    /// <summary>The address of an <see cref="AbiValueKind.Address"/> value.</summary>
    /// <exception cref="InvalidOperationException">The value is not an address.</exception>
    public Address Address => Kind == AbiValueKind.Address ? _address : throw WrongKind(AbiValueKind.Address);

    /// <summary>The truth value of an <see cref="AbiValueKind.Bool"/> value.</summary>
    /// <exception cref="InvalidOperationException">The value is not a bool.</exception>
    public bool Bool => Kind == AbiValueKind.Bool ? !_integer.IsZero : throw WrongKind(AbiValueKind.Bool);

    /// <summary>The bytes of an <see cref="AbiValueKind.Bytes"/> value.</summary>
    /// <exception cref="InvalidOperationException">The value is not a byte sequence.</exception>
    public ReadOnlyMemory<byte> Bytes => Kind == AbiValueKind.Bytes ? _bytes : throw WrongKind(AbiValueKind.Bytes);

    /// <summary>The text of an <see cref="AbiValueKind.String"/> value.</summary>
    /// <exception cref="InvalidOperationException">The value is not text.</exception>
    public string String => Kind == AbiValueKind.String ? _text! : throw WrongKind(AbiValueKind.String);

    /// <summary>The elements of an <see cref="AbiValueKind.Array"/> or the components of a <see cref="AbiValueKind.Tuple"/>.</summary>
    /// <exception cref="InvalidOperationException">The value is neither an array nor a tuple.</exception>
    public IReadOnlyList<AbiValue> Items => _items ?? throw WrongKind(AbiValueKind.Array);

    internal byte[] ByteArray => _bytes!;

    internal AbiValue[] ItemArray => _items!;

    /// <summary>An integer value.</summary>
    /// <param name="value">The integer.</param>
    /// <returns>The value.</returns>
    public static AbiValue FromInteger(BigInteger value) => new(AbiValueKind.Integer, value, default, null, null, null);

    /// <summary>An address value.</summary>
    /// <param name="value">The address.</param>
    /// <returns>The value.</returns>
    public static AbiValue FromAddress(Address value) => new(AbiValueKind.Address, default, value, null, null, null);

    /// <summary>A bool value.</summary>
    /// <param name="value">The truth value.</param>
    /// <returns>The value.</returns>
    public static AbiValue FromBool(bool value) => value ? True : False;

    /// <summary>A byte sequence, for <c>bytes</c> or <c>bytes&lt;M&gt;</c>; the bytes are copied.</summary>
    /// <param name="value">The bytes.</param>
    /// <returns>The value.</returns>
    public static AbiValue FromBytes(ReadOnlySpan<byte> value) => new(AbiValueKind.Bytes, default, default, value.ToArray(), null, null);

    /// <summary>A text value, encoded as UTF-8.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static AbiValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(AbiValueKind.String, default, default, null, value, null);
    }

    /// <summary>An array value, for <c>T[k]</c> or <c>T[]</c>; the list is copied.</summary>
    /// <param name="elements">The elements, in order.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="elements"/> or one of its entries is <see langword="null"/>.</exception>
    public static AbiValue Array(params AbiValue[] elements) => new(AbiValueKind.Array, default, default, null, null, CopyItems(elements, nameof(elements)));

    /// <summary>A tuple value; the list is copied.</summary>
    /// <param name="components">The components, in order.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="components"/> or one of its entries is <see langword="null"/>.</exception>
    public static AbiValue Tuple(params AbiValue[] components) => new(AbiValueKind.Tuple, default, default, null, null, CopyItems(components, nameof(components)));

    internal static AbiValue FromOwnedBytes(byte[] value) => new(AbiValueKind.Bytes, default, default, value, null, null);

    internal static AbiValue FromOwnedItems(AbiValueKind kind, AbiValue[] items) => new(kind, default, default, null, null, items);

    /// <summary>Structural equality: same kind and equal contents, recursively.</summary>
    /// <param name="other">The value to compare with.</param>
    /// <returns>Whether the values are equal.</returns>
    public bool Equals(AbiValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        return Kind switch
        {
            AbiValueKind.Integer or AbiValueKind.Bool => _integer == other._integer,
            AbiValueKind.Address => _address == other._address,
            AbiValueKind.Bytes => _bytes.AsSpan().SequenceEqual(other._bytes),
            AbiValueKind.String => string.Equals(_text, other._text, StringComparison.Ordinal),
            _ => _items.AsSpan().SequenceEqual(other._items),
        };
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AbiValue);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        switch (Kind)
        {
            case AbiValueKind.Integer or AbiValueKind.Bool:
                hash.Add(_integer);
                break;
            case AbiValueKind.Address:
                hash.Add(_address);
                break;
            case AbiValueKind.Bytes:
                hash.AddBytes(_bytes);
                break;
            case AbiValueKind.String:
                hash.Add(_text, StringComparer.Ordinal);
                break;
            default:
                foreach (AbiValue item in _items!)
                {
                    hash.Add(item);
                }

                break;
        }

        return hash.ToHashCode();
    }

    /// <summary>
    /// A readable rendering for messages and test output: decimal integers, <c>0x</c> hex for addresses and bytes,
    /// quoted text, <c>[…]</c> for arrays and <c>(…)</c> for tuples.
    /// </summary>
    /// <returns>The rendering.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        Render(text);
        return text.ToString();
    }

    private void Render(StringBuilder text)
    {
        switch (Kind)
        {
            case AbiValueKind.Integer:
                text.Append(_integer.ToString(CultureInfo.InvariantCulture));
                break;
            case AbiValueKind.Bool:
                text.Append(_integer.IsZero ? "false" : "true");
                break;
            case AbiValueKind.Address:
                text.Append(_address.ToString());
                break;
            case AbiValueKind.Bytes:
                text.Append("0x").Append(string.Create(2 * _bytes!.Length, _bytes, static (chars, bytes) => Hex.EncodeLower(bytes, chars)));
                break;
            case AbiValueKind.String:
                text.Append('"').Append(_text).Append('"');
                break;
            default:
                text.Append(Kind == AbiValueKind.Array ? '[' : '(');
                for (int i = 0; i < _items!.Length; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    _items[i].Render(text);
                }

                text.Append(Kind == AbiValueKind.Array ? ']' : ')');
                break;
        }
    }

    private static AbiValue[] CopyItems(AbiValue[] items, string paramName)
    {
        ArgumentNullException.ThrowIfNull(items, paramName);
        AbiValue[] copy = [.. items];
        for (int i = 0; i < copy.Length; i++)
        {
            if (copy[i] is null)
            {
                throw new ArgumentNullException(paramName, $"Item {i} is null.");
            }
        }

        return copy;
    }

    private InvalidOperationException WrongKind(AbiValueKind wanted) =>
        new($"The value is {Kind}, not {(wanted == AbiValueKind.Array ? "an Array or Tuple" : wanted.ToString())}.");
}
