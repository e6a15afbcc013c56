using System.Buffers.Binary;
using AuctionEngine.Crypto;

namespace AuctionEngine.Abi;

/// <summary>
/// A contract function's name and parameter types, its canonical signature such as
/// <c>transfer(address,uint256)</c>, and its selector: the first four bytes of the signature's Keccak-256, which
/// calldata starts with.
/// </summary>
public sealed class AbiFunction
{
    /// <summary>The number of bytes in a selector.</summary>
    public const int SelectorSize = 4;

    // Null for a function without parameters: the ABI has no empty tuple type.
    private readonly AbiType? _arguments;

    private AbiFunction(string name, AbiType? arguments)
    {
        Name = name;
        _arguments = arguments;
        Signature = name + (arguments?.CanonicalName ?? "()");
        Span<byte> hash = stackalloc byte[Keccak256.HashSize];
        Keccak256.HashData(System.Text.Encoding.ASCII.GetBytes(Signature), hash);
        Selector = BinaryPrimitives.ReadUInt32BigEndian(hash);
    }

    /// <summary>The function's name.</summary>
    public string Name { get; }

    /// <summary>The parameter types, in order; calldata after the selector is the encoding of the tuple of them.</summary>
    public IReadOnlyList<AbiType> Parameters => _arguments?.Components ?? [];

    /// <summary>The canonical signature, e.g. <c>transfer(address,uint256)</c>, with no spaces or parameter names.</summary>
    public string Signature { get; }

    /// <summary>The selector as a big-endian number, e.g. <c>0xa9059cbb</c> for <c>transfer(address,uint256)</c>.</summary>
    public uint Selector { get; }

    /// <summary>Parses a signature such as <c>settle(uint64,uint256,(address,uint8,uint256,uint256)[],bytes32[])</c>.</summary>
    /// <param name="signature">A name followed by parenthesised parameter types, without spaces or parameter names; aliases such as <c>uint</c> are canonicalised.</param>
    /// <returns>The function.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signature"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The name is not a Solidity identifier, or the parameters are not well-formed ABI types.</exception>
    public static AbiFunction Parse(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        int open = signature.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || !IsIdentifier(signature.AsSpan(0, open)) || !signature.EndsWith(')'))
        {
            throw new FormatException($"'{signature}' is not a function signature: expected name(type,…).");
        }

        AbiType[] parameters = AbiType.ParseList(signature[(open + 1)..^1]);
        return new AbiFunction(signature[..open], parameters.Length == 0 ? null : AbiType.Tuple(parameters));
    }

    /// <summary>Writes the selector's four bytes.</summary>
    /// <param name="destination">At least four bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than four bytes.</exception>
    public void WriteSelector(Span<byte> destination)
    {
        if (destination.Length < SelectorSize)
        {
            throw new ArgumentException("A selector takes four bytes.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, Selector);
    }

    /// <summary>Builds calldata: the selector followed by the arguments' encoding.</summary>
    /// <param name="arguments">One value per parameter, in order.</param>
    /// <returns>The calldata.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="arguments"/> or one of its entries is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The arguments do not fit the parameters; see <see cref="AbiEncoder.GetEncodedLength"/>.</exception>
    public byte[] EncodeCall(params AbiValue[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (_arguments is null)
        {
            if (arguments.Length != 0)
            {
                throw new ArgumentException($"{Signature} takes no arguments; got {arguments.Length}.", nameof(arguments));
            }

            var selectorOnly = new byte[SelectorSize];
            WriteSelector(selectorOnly);
            return selectorOnly;
        }

        AbiValue tuple = AbiValue.Tuple(arguments);
        var calldata = new byte[SelectorSize + AbiEncoder.GetEncodedLength(_arguments, tuple)];
        WriteSelector(calldata);
        AbiEncoder.Encode(_arguments, tuple, calldata.AsSpan(SelectorSize));
        return calldata;
    }

    /// <summary>Reads the arguments from calldata for this function, strictly as <see cref="AbiDecoder"/> does.</summary>
    /// <param name="calldata">The selector followed by exactly the arguments' canonical encoding.</param>
    /// <returns>One value per parameter, in order.</returns>
    /// <exception cref="AbiDecodingException">
    /// The calldata is shorter than a selector, starts with another selector, or the rest is not exactly a canonical
    /// encoding of the parameters; its <see cref="AbiDecodingException.Offset"/> counts from the start of the calldata.
    /// </exception>
    public IReadOnlyList<AbiValue> DecodeCall(ReadOnlySpan<byte> calldata)
    {
        if (calldata.Length < SelectorSize || BinaryPrimitives.ReadUInt32BigEndian(calldata) != Selector)
        {
            throw new AbiDecodingException(0, $"the calldata does not start with the selector of {Signature}");
        }

        if (_arguments is null)
        {
            return calldata.Length == SelectorSize ? [] : throw new AbiDecodingException(SelectorSize, $"{Signature} takes no arguments");
        }

        try
        {
            return AbiDecoder.Decode(_arguments, calldata[SelectorSize..]).Items;
        }
        catch (AbiDecodingException e)
        {
            // Offsets inside the arguments count from after the selector; the caller holds whole calldata.
            throw new AbiDecodingException(e.Offset + SelectorSize, e.Problem);
        }
    }

    /// <summary>The signature.</summary>
    /// <returns><see cref="Signature"/>.</returns>
    public override string ToString() => Signature;

    private static bool IsIdentifier(ReadOnlySpan<char> name)
    {
        if (char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '$')
            {
                return false;
            }
        }

        return true;
    }
}
