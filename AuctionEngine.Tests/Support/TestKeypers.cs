using System.Security.Cryptography;
using System.Text;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Threshold;

namespace AuctionEngine.Tests.Support;

/// <summary>Keypers with real secp256k1 keys of their own, registered by address, who sign the shares they release.</summary>
internal static class TestKeypers
{
    /// <summary>Keyper <paramref name="index"/>'s private key: SHA-256 of "keyper i", distinct, valid and reproducible.</summary>
    public static byte[] PrivateKey(int index) => SHA256.HashData(Encoding.UTF8.GetBytes($"keyper {index}"));

    public static Address AddressOf(int index) => Secp256k1.AddressFromPrivateKey(PrivateKey(index));

    /// <summary>Keypers 1 to <paramref name="count"/>, registered with their own addresses.</summary>
    public static KeyperSet Registered(int count) => new(Enumerable.Range(1, count).Select(AddressOf));

    /// <summary>The context of the shared test batch (<see cref="SealedBatchScenario"/>), or of another one.</summary>
    public static KeyperShareContext Context(
        SharedBatchKey key, ulong batchId = SealedBatchScenario.BatchId, Address? market = null, Eip712Domain? domain = null) =>
        new(domain ?? SealedBatchScenario.Domain, market ?? SealedBatchScenario.MarketAddress, batchId, key.Commitments);

    /// <summary>Every keyper's share, each signed by its own keyper, in index order.</summary>
    public static SignedKeyperShare[] SignAll(SharedBatchKey key, KeyperShareContext context) =>
        [.. key.Shares.Select(share => key.SignShare(context, share.Index, PrivateKey(share.Index)))];

    /// <summary>Keyper <paramref name="index"/>'s signature over any 32-byte value, as a keyper releasing a wrong share makes it.</summary>
    public static SignedKeyperShare Signed(KeyperShareContext context, int index, byte[] value, byte[]? privateKey = null)
    {
        byte[] digest = context.ComputeDigest(index, value).ToArray();
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digest, privateKey ?? PrivateKey(index), signature);
        return new SignedKeyperShare(index, value, signature);
    }
}
