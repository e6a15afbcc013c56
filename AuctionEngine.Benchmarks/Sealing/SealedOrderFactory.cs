using System.Security.Cryptography;
using AuctionEngine.Crypto;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Threshold;

namespace AuctionEngine.Benchmarks.Sealing;

/// <summary>Signed orders from reproducible traders, as a benchmark's setup needs them.</summary>
internal static class SealedOrderFactory
{
    public static readonly Address MarketAddress = Address.Parse("0x00000000000000000000000000000000000000aa");

    public static readonly Eip712Domain Domain = new("AuctionEngine", "1", 1, Address.Parse("0x5e771e5e771e5e771e5e771e5e771e5e771e5e77"));

    /// <summary>A trader's private key: SHA-256 of its number, which is a valid secp256k1 scalar for every number used here.</summary>
    public static byte[] PrivateKey(int trader) => SHA256.HashData(BitConverter.GetBytes(trader));

    /// <summary>A keyper's own private key: the private key of "trader" 1,000 + its index, outside the traders' range.</summary>
    public static byte[] KeyperPrivateKey(int index) => PrivateKey(1_000 + index);

    /// <summary>The registered keypers of <paramref name="key"/>, and every one's share signed for a batch of this market.</summary>
    public static (KeyperSet Keypers, SignedKeyperShare[] Shares) SignedShares(SharedBatchKey key, ulong batchId)
    {
        var context = new KeyperShareContext(Domain, MarketAddress, batchId, key.Commitments);
        var keypers = new KeyperSet(key.Shares.Select(share => Secp256k1.AddressFromPrivateKey(KeyperPrivateKey(share.Index))));
        return (keypers, [.. key.Shares.Select(share => context.Sign(share, KeyperPrivateKey(share.Index)))]);
    }

    /// <summary>An order in a narrow band around 100 ticks, by one of 100 traders, and its signature.</summary>
    public static (SealedOrder Order, byte[] Signature) Signed(int index, ulong batchId)
    {
        byte[] key = PrivateKey(index % 100);
        Side side = index % 2 == 0 ? Side.Buy : Side.Sell;
        var order = new SealedOrder(
            Secp256k1.AddressFromPrivateKey(key), MarketAddress, batchId, side, OrderType.Limit, 95 + (index % 11), 1 + (index % 17), (ulong)index);
        Span<byte> digest = stackalloc byte[Hash32.Length];
        order.ComputeDigest(Domain).WriteTo(digest);
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digest, key, signature);
        return (order, signature);
    }
}
