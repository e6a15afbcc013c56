using System.IO.Hashing;
using System.Text;

namespace AuctionEngine.Cli.Identity;

/// <summary>Hashes an order's id text to 128 bits; <see cref="OrderIdentity.Hash"/> in production, anything in tests.</summary>
/// <param name="utf8Id">The id's UTF-8 bytes.</param>
/// <param name="seed">0 for an id's first hash; 1, 2, … for the further candidates of an id whose first hash collides.</param>
/// <returns>The hash; its low 64 bits become the engine id, its high 64 bits the priority key.</returns>
internal delegate UInt128 OrderIdHash(ReadOnlySpan<byte> utf8Id, long seed);

/// <summary>The engine's numeric id and priority key for an order named by text.</summary>
/// <remarks>
/// <para>
/// Both come from one XXH3-128 hash of the id's UTF-8 bytes (<see cref="XxHash128"/>), so the outcome never depends on
/// row order or position, and equal id strings get equal ids on purpose: the engine then rejects every copy as a
/// duplicate. A cryptographic hash bought nothing here but time: the priority key only breaks exact ties in rationing,
/// and a trader who grinds ids for a low key can do so against any public hash.
/// </para>
/// <para>
/// Two distinct ids with equal 64-bit hashes are possible, so the hash alone must never decide that two orders are
/// duplicates: <see cref="IdCollisions"/> compares the id bytes of every order the engine rejected as a duplicate and
/// gives distinct ids distinct engine ids.
/// </para>
/// </remarks>
internal readonly record struct OrderIdentity(ulong Id, ulong PriorityKey)
{
    /// <summary>XXH3-128 of the id with <paramref name="seed"/>.</summary>
    public static readonly OrderIdHash Hash = static (utf8Id, seed) => XxHash128.HashToUInt128(utf8Id, seed);

    /// <summary>The identity of an order named <paramref name="name"/>: <see cref="Hash"/> of its UTF-8 bytes, seed 0.</summary>
    public static OrderIdentity FromName(string name) => FromHash(Hash(Encoding.UTF8.GetBytes(name), 0));

    /// <summary>Splits a 128-bit id hash into the engine id (low half) and the priority key (high half).</summary>
    public static OrderIdentity FromHash(UInt128 hash) => new((ulong)hash, (ulong)(hash >> 64));
}
