using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AuctionEngine.Cli.Identity;

/// <summary>The engine's numeric id and priority key for an order named by text.</summary>
/// <remarks>
/// Both come from SHA-256 of the name, so the outcome never depends on row order or position, equal names collide on
/// purpose (the engine then rejects them as duplicates), and nobody picks their own tie-breaking key except by
/// grinding names, which is good enough for a sample.
/// </remarks>
internal readonly record struct OrderIdentity(ulong Id, ulong PriorityKey)
{
    /// <summary>Id: the first 8 bytes of SHA-256 of the UTF-8 name, big-endian; priority key: the next 8.</summary>
    public static OrderIdentity FromName(string name)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        return new OrderIdentity(BinaryPrimitives.ReadUInt64BigEndian(hash), BinaryPrimitives.ReadUInt64BigEndian(hash[8..]));
    }
}
