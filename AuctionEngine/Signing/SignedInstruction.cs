using System.Runtime.InteropServices;
using AuctionEngine.Crypto;

namespace AuctionEngine.Signing;

/// <summary>An instruction with its trader's 65-byte signature (r ‖ s ‖ v) of its EIP-712 digest.</summary>
/// <param name="Instruction">The instruction.</param>
/// <param name="Signature">The signature; the manager refuses a malformed one or one by anyone but the trader.</param>
[StructLayout(LayoutKind.Auto)]
public readonly record struct SignedInstruction(Instruction Instruction, ReadOnlyMemory<byte> Signature)
{
    /// <summary>Signs an instruction with a private key (a wallet does this for real traders; tests and simulations use it).</summary>
    /// <param name="instruction">The instruction.</param>
    /// <param name="domain">The signing domain.</param>
    /// <param name="privateKey">The trader's 32-byte private key.</param>
    /// <returns>The signed instruction.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not a valid secp256k1 private key.</exception>
    public static SignedInstruction Create(Instruction instruction, Eip712Domain domain, ReadOnlySpan<byte> privateKey)
    {
        Span<byte> digest = stackalloc byte[Keccak256.HashSize];
        instruction.ComputeDigest(domain).WriteTo(digest);
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digest, privateKey, signature);
        return new SignedInstruction(instruction, signature);
    }
}
