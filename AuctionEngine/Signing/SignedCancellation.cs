using System.Runtime.InteropServices;
using AuctionEngine.Crypto;

namespace AuctionEngine.Signing;

/// <summary>A cancellation with its trader's 65-byte signature (r ‖ s ‖ v) of its EIP-712 digest.</summary>
/// <param name="Cancellation">The cancellation.</param>
/// <param name="Signature">The signature.</param>
[StructLayout(LayoutKind.Auto)]
public readonly record struct SignedCancellation(InstructionCancellation Cancellation, ReadOnlyMemory<byte> Signature)
{
    /// <summary>Signs a cancellation with a private key.</summary>
    /// <param name="cancellation">The cancellation.</param>
    /// <param name="domain">The signing domain.</param>
    /// <param name="privateKey">The trader's 32-byte private key.</param>
    /// <returns>The signed cancellation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not a valid secp256k1 private key.</exception>
    public static SignedCancellation Create(InstructionCancellation cancellation, Eip712Domain domain, ReadOnlySpan<byte> privateKey)
    {
        Span<byte> digest = stackalloc byte[Keccak256.HashSize];
        cancellation.ComputeDigest(domain).WriteTo(digest);
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digest, privateKey, signature);
        return new SignedCancellation(cancellation, signature);
    }
}
