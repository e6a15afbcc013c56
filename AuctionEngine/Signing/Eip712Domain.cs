using AuctionEngine.Primitives;

namespace AuctionEngine.Signing;

/// <summary>
/// An EIP-712 domain with the four fields <c>EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)</c>,
/// and its separator, computed once.
/// </summary>
/// <remarks>
/// <para>
/// <c>Separator = keccak256(abi.encode(keccak256(EncodedType), keccak256(bytes(name)), keccak256(bytes(version)),
/// chainId, verifyingContract))</c>: what OpenZeppelin's <c>EIP712</c> contract computes as
/// <c>_domainSeparatorV4()</c> for the same name and version, on the chain and at the address given here.
/// </para>
/// <para>Binding the chain and the contract stops a signature for one deployment being replayed on another.</para>
/// </remarks>
public sealed class Eip712Domain
{
    /// <summary>The canonical type string of the domain struct.</summary>
    public const string EncodedType = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

    /// <summary>Creates a domain and computes its separator.</summary>
    /// <param name="name">The signing domain's user-readable name, e.g. the protocol's name.</param>
    /// <param name="version">The major version of the signing domain; signatures from other versions do not verify.</param>
    /// <param name="chainId">The EIP-155 chain id (Solidity's <c>block.chainid</c>).</param>
    /// <param name="verifyingContract">The contract that verifies the signatures.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="version"/> is null.</exception>
    public Eip712Domain(string name, string version, ulong chainId, Address verifyingContract)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(version);
        Name = name;
        Version = version;
        ChainId = chainId;
        VerifyingContract = verifyingContract;

        Span<byte> buffer = stackalloc byte[Eip712StructEncoder.BufferSize(4)];
        var encoder = new Eip712StructEncoder(buffer, TypeHash);
        encoder.AddString(name);
        encoder.AddString(version);
        encoder.AddUInt(chainId);
        encoder.AddAddress(verifyingContract);
        Separator = encoder.Hash();
    }

    /// <summary>The type hash of the domain struct, <c>keccak256(EncodedType)</c>.</summary>
    public static Hash32 TypeHash { get; } = Eip712.TypeHash(EncodedType);

    /// <summary>The signing domain's user-readable name.</summary>
    public string Name { get; }

    /// <summary>The major version of the signing domain.</summary>
    public string Version { get; }

    /// <summary>The EIP-155 chain id.</summary>
    public ulong ChainId { get; }

    /// <summary>The contract that verifies the signatures.</summary>
    public Address VerifyingContract { get; }

    /// <summary>The domain separator, <c>hashStruct(eip712Domain)</c>.</summary>
    public Hash32 Separator { get; }
}
