using System.Buffers.Binary;
using System.Security.Cryptography;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;

namespace AuctionEngine.Cli.Demo;

/// <summary>A demo trader with a real secp256k1 key, who signs orders the way a wallet would.</summary>
/// <remarks>
/// The private key is SHA-256 of the trader's number (4 bytes, big-endian): distinct, valid, and the same on every
/// run, so a demo's addresses can be recognised from one run to the next. Anyone can derive it; demo only.
/// </remarks>
internal sealed class DemoTrader
{
    private readonly byte[] _privateKey;

    public DemoTrader(int number)
    {
        Span<byte> numberBytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32BigEndian(numberBytes, number);
        _privateKey = SHA256.HashData(numberBytes);
        Number = number;
        Address = Secp256k1.AddressFromPrivateKey(_privateKey);
    }

    public int Number { get; }

    public Address Address { get; }

    /// <summary>The private key as 0x-prefixed hex, for a test chain that must send this trader's transactions.</summary>
    public string PrivateKeyHex => "0x" + Convert.ToHexStringLower(_privateKey);

    /// <summary>The 65-byte signature of the order's EIP-712 digest.</summary>
    public byte[] Sign(in SealedOrder order, Eip712Domain domain)
    {
        Span<byte> digest = stackalloc byte[Hash32.Length];
        order.ComputeDigest(domain).WriteTo(digest);
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digest, _privateKey, signature);
        return signature;
    }

    /// <summary>The 65-byte EIP-712 signature of a CoW Protocol order this trader owns.</summary>
    public byte[] Sign(CowOrder order) => order.SignEip712(_privateKey);
}
