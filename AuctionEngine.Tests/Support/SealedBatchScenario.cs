using System.Security.Cryptography;
using AuctionEngine.Clearing;
using AuctionEngine.Crypto;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Signing;

namespace AuctionEngine.Tests.Support;

/// <summary>A trader with a real secp256k1 key, who signs, commits and encrypts orders the way a wallet would.</summary>
internal sealed class TestTrader
{
    private readonly byte[] _privateKey;

    public TestTrader(int number)
    {
        // Distinct, valid and reproducible: SHA-256 of the trader's number.
        _privateKey = SHA256.HashData(BitConverter.GetBytes(number));
        Address = Secp256k1.AddressFromPrivateKey(_privateKey);
    }

    public Address Address { get; }

    public SealedOrder Order(Side side, long limitPrice, long quantity, ulong batchId = SealedBatchScenario.BatchId, Address? market = null, ulong nonce = 1) =>
        new(Address, market ?? SealedBatchScenario.MarketAddress, batchId, side, OrderType.Limit, limitPrice, quantity, nonce);

    /// <summary>A market order bounded by its signed worst price.</summary>
    public SealedOrder MarketOrder(Side side, long worstPrice, long quantity, ulong nonce = 1) =>
        new(Address, SealedBatchScenario.MarketAddress, SealedBatchScenario.BatchId, side, OrderType.Market, worstPrice, quantity, nonce);

    public byte[] Sign(in SealedOrder order)
    {
        Span<byte> digest = stackalloc byte[Hash32.Length];
        order.ComputeDigest(SealedBatchScenario.Domain).WriteTo(digest);
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digest, _privateKey, signature);
        return signature;
    }

    public byte[] Encrypt(in SealedOrder order, byte[] batchPublicKey, int seed = 0)
    {
        using var random = new SeededRandom(seed);
        return Ecies.Encrypt(batchPublicKey, SealedOrderCodec.Encode(order, Sign(order)), random);
    }

    /// <summary>Encrypts the order and registers it under its trader with the commitment that binds it to this ciphertext.</summary>
    public SealRejectReason SubmitEncrypted(SealedBatch batch, in SealedOrder order, byte[] ciphertext, Reservation? reservation = null) =>
        batch.SubmitEncrypted(Address, SealedBatchScenario.EncryptedCommitmentOf(order, ciphertext), ciphertext, reservation ?? SealedBatchScenario.Ample, SealedBatchScenario.OpenBlock);
}

/// <summary>The market, domain and settings every sealed-batch test shares, and a few shortcuts.</summary>
internal static class SealedBatchScenario
{
    public const ulong BatchId = 7;
    public const long OpenBlock = 100;

    public static readonly Address MarketAddress = Address.Parse("0x00000000000000000000000000000000000000aa");

    public static readonly Eip712Domain Domain =
        new("AuctionEngine", "1", 31337, Address.Parse("0x5e771e5e771e5e771e5e771e5e771e5e771e5e77"));

    public static SealedBatchSettings Settings(int maxOrders = 64, int maxPerTrader = 8, int maxCiphertextBytes = 512, int revealWindow = 3) =>
        new(Build.UnitMarket(), MarketAddress, maxOrders, maxPerTrader, maxCiphertextBytes, revealWindow);

    public static SealedBatch NewBatch(SealedBatchSettings? settings = null) => new(settings ?? Settings(), Domain, BatchId, OpenBlock);

    public static Hash32 Salt(int n) => new(SHA256.HashData(BitConverter.GetBytes(~n)));

    /// <summary>A reservation that covers any order of the unit market.</summary>
    public static readonly Reservation Ample = new(Reservation.MaxAtoms, Reservation.MaxAtoms);

    public static Hash32 CommitmentOf(in SealedOrder order, Hash32 salt) => Commitments.ForReveal(order.ComputeDigest(Domain), salt);

    public static Hash32 EncryptedCommitmentOf(in SealedOrder order, byte[] ciphertext) => Commitments.ForEncrypted(order.ComputeDigest(Domain), ciphertext);

    /// <summary>Closes the batch and opens reveals in the next block, with fixed randomness.</summary>
    public static void CloseAndBeginReveal(SealedBatch batch)
    {
        batch.Close(OpenBlock + 1);
        batch.BeginReveal(OpenBlock + 1, new Hash32(SHA256.HashData("randomness"u8)));
    }

    public static SealedBatchResult ClearAfterWindow(SealedBatch batch, ClearingOptions options = default) =>
        batch.Clear(new ClearingEngine(64), options, batch.RevealDeadline!.Value);
}
