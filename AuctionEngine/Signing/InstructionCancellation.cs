using System.Runtime.InteropServices;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;

namespace AuctionEngine.Signing;

/// <summary>
/// A trader's signed request to cancel one of their instructions, as the EIP-712 struct
/// <c>InstructionCancellation(address trader,address market,bytes32 instruction)</c> in the domain of orders.
/// </summary>
/// <remarks>
/// The struct hash is <c>keccak256(abi.encode(TYPEHASH, trader, market, instruction))</c>, where
/// <c>instruction</c> is the id (EIP-712 digest) of the instruction to cancel.
/// </remarks>
/// <param name="Trader">The account that owns the instruction and signs the cancellation.</param>
/// <param name="Market">The market's address.</param>
/// <param name="Instruction">The id of the instruction to cancel.</param>
[StructLayout(LayoutKind.Auto)]
public readonly record struct InstructionCancellation(Address Trader, Address Market, Hash32 Instruction)
{
    /// <summary>The canonical EIP-712 type string of the struct.</summary>
    public const string EncodedType = "InstructionCancellation(address trader,address market,bytes32 instruction)";

    /// <summary>The type hash, <c>keccak256(EncodedType)</c>.</summary>
    public static Hash32 TypeHash { get; } = Eip712.TypeHash(EncodedType);

    /// <summary>Writes the EIP-712 digest the trader signs, without allocating.</summary>
    /// <param name="domain">The signing domain.</param>
    /// <param name="keccak">The hasher to use; its state is reset first.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> or <paramref name="keccak"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void ComputeDigest(Eip712Domain domain, Keccak256 keccak, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(keccak);
        Span<byte> buffer = stackalloc byte[Eip712StructEncoder.BufferSize(3)];
        var encoder = new Eip712StructEncoder(buffer, TypeHash);
        encoder.AddAddress(Trader);
        encoder.AddAddress(Market);
        encoder.AddBytes32(Instruction);
        Span<byte> structHash = stackalloc byte[Keccak256.HashSize];
        encoder.Hash(keccak, structHash);
        Eip712.Digest(keccak, domain.Separator, new Hash32(structHash), destination);
    }

    /// <summary>The EIP-712 digest the trader signs.</summary>
    /// <param name="domain">The signing domain.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is null.</exception>
    public Hash32 ComputeDigest(Eip712Domain domain)
    {
        Span<byte> digest = stackalloc byte[Keccak256.HashSize];
        ComputeDigest(domain, Keccak256.PerThread, digest);
        return new Hash32(digest);
    }
}
