using System.Buffers;
using System.Text.Json;
using AuctionEngine.Abi;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.SealedBatchScenario;

namespace AuctionEngine.Tests.Settlement;

/// <summary>The calldata of the reference settlement contract, checked against its ABI JSON and the general encoder.</summary>
[TestFixture]
public sealed class SettlementCalldataTests
{
    private static readonly TestTrader Alice = new(1);
    private static readonly TestTrader Bob = new(2);

    public static IEnumerable<TestCaseData> Functions()
    {
        yield return new TestCaseData("settle", SettlementCalldata.Settle);
        yield return new TestCaseData("commit", SettlementCalldata.Commit);
        yield return new TestCaseData("commitEncrypted", SettlementCalldata.CommitEncrypted);
        yield return new TestCaseData("reveal", SettlementCalldata.Reveal);
    }

    [TestCaseSource(nameof(Functions))]
    public void TheSignaturesAreTheContractsOwn(string function, AbiFunction ours)
    {
        // The committed ABI JSON is compiled from samples/contracts; CI fails if it drifts from the contract.
        using JsonDocument abi = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "AuctionSettlement.abi.json")));
        JsonElement entry = abi.RootElement.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "function" && e.GetProperty("name").GetString() == function);
        string signature = $"{function}({string.Join(',', entry.GetProperty("inputs").EnumerateArray().Select(CanonicalType))})";
        Assert.That(ours.Signature, Is.EqualTo(signature));
    }

    [Test]
    public void SettleEqualsTheGeneralEncoder()
    {
        SettlementFill[] fills = [Fill(Alice, Side.Buy, 3), Fill(Bob, Side.Sell, 3), Fill(Bob, Side.Sell, 0, OrderType.Market)];
        SealRejection[] voids = [new(Alice.Address, Salt(7), SealRejectReason.Unrevealed), new(Bob.Address, Salt(8), SealRejectReason.Undecryptable)];
        byte[] key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
        var output = new ArrayBufferWriter<byte>();

        new SettlementCalldata().WriteSettle(output, batchId: 101, price: 250_010, fills, voids, key);

        Assert.That(output.WrittenSpan.ToArray(), Is.EqualTo(EncodeGenerally(101, 250_010, fills, voids, key)));
    }

    [Test]
    public void AnEmptySettlementEqualsTheGeneralEncoder()
    {
        var output = new ArrayBufferWriter<byte>();
        new SettlementCalldata().WriteSettle(output, batchId: 5, price: 0, [], [], []);
        Assert.That(output.WrittenSpan.ToArray(), Is.EqualTo(EncodeGenerally(5, 0, [], [], [])));
    }

    [Test]
    public void CommitsAndRevealsEqualTheGeneralEncoder()
    {
        var calldata = new SettlementCalldata();
        var output = new ArrayBufferWriter<byte>();
        Hash32 commitment = Salt(3);
        var reservation = new Reservation(12_345, Reservation.MaxAtoms);
        byte[] ciphertext = [.. Enumerable.Range(0, 418).Select(i => (byte)(i * 7))];
        SealedOrder order = Alice.Order(Side.Buy, 250_000, 10, nonce: 4);
        byte[] signature = Alice.Sign(order);

        calldata.WriteCommit(output, commitment, reservation);
        byte[] commit = output.WrittenSpan.ToArray();
        output.ResetWrittenCount();
        calldata.WriteCommitEncrypted(output, commitment, reservation, ciphertext);
        byte[] commitEncrypted = output.WrittenSpan.ToArray();
        output.ResetWrittenCount();
        calldata.WriteReveal(output, BatchId, order, Salt(4), signature);
        byte[] reveal = output.WrittenSpan.ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(commit, Is.EqualTo(SettlementCalldata.Commit.EncodeCall(Word(commitment), AbiValue.FromInteger(12_345), AbiValue.FromInteger(Reservation.MaxAtoms))));
            Assert.That(commitEncrypted, Is.EqualTo(SettlementCalldata.CommitEncrypted.EncodeCall(
                Word(commitment), AbiValue.FromInteger(12_345), AbiValue.FromInteger(Reservation.MaxAtoms), AbiValue.FromBytes(ciphertext))));
            Assert.That(reveal, Is.EqualTo(SettlementCalldata.Reveal.EncodeCall(AbiValue.FromInteger(BatchId), OrderValue(order), Word(Salt(4)), AbiValue.FromBytes(signature))));
        }
    }

    [Test]
    public void AReservationBeyond112BitsIsRefused()
    {
        Assert.That(() => new Reservation(Reservation.MaxAtoms + 1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new Reservation(0, Reservation.MaxAtoms + 1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void WritingASettlementAllocatesNothingOnceWarm()
    {
        SettlementFill[] fills = [.. Enumerable.Range(0, 100).Select(i => Fill(i % 2 == 0 ? Alice : Bob, i % 2 == 0 ? Side.Buy : Side.Sell, i))];
        SealRejection[] voids = [.. Enumerable.Range(0, 10).Select(i => new SealRejection(Alice.Address, Salt(i), SealRejectReason.Unrevealed))];
        byte[] key = new byte[32];
        var output = new ArrayBufferWriter<byte>(1 << 16);
        var calldata = new SettlementCalldata();
        calldata.WriteSettle(output, 9, 100, fills, voids, key);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            output.ResetWrittenCount();
            calldata.WriteSettle(output, 9, 100, fills, voids, key);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    internal static SettlementFill Fill(TestTrader trader, Side side, long lots, OrderType type = OrderType.Limit)
    {
        SealedOrder order = new(trader.Address, MarketAddress, BatchId, side, type, 250_000, 10, (ulong)lots);
        return new SettlementFill(order, Salt((int)lots), trader.Sign(order), lots);
    }

    private static AbiValue Word(Hash32 value) => AbiValue.FromBytes(value.ToArray());

    private static AbiValue OrderValue(in SealedOrder order) => AbiValue.Tuple(
        AbiValue.FromAddress(order.Trader),
        AbiValue.FromInteger((byte)order.Side),
        AbiValue.FromInteger((byte)order.Type),
        AbiValue.FromInteger(order.LimitPrice),
        AbiValue.FromInteger(order.Quantity),
        AbiValue.FromInteger(order.Nonce));

    private static byte[] EncodeGenerally(ulong batchId, long price, SettlementFill[] fills, SealRejection[] voids, byte[] key) => SettlementCalldata.Settle.EncodeCall(
        AbiValue.FromInteger(batchId),
        AbiValue.FromInteger(price),
        AbiValue.Array([.. fills.Select(f => AbiValue.Tuple(OrderValue(f.Order), Word(f.Secret), AbiValue.FromBytes(f.Signature.Span), AbiValue.FromInteger(f.Lots)))]),
        AbiValue.Array([.. voids.Select(v => AbiValue.Tuple(AbiValue.FromAddress(v.Trader), Word(v.Commitment), AbiValue.FromInteger((byte)v.Reason)))]),
        AbiValue.FromBytes(key));

    /// <summary>A parameter's canonical type from its ABI JSON entry: tuples spelled out from their components.</summary>
    private static string CanonicalType(JsonElement parameter)
    {
        string type = parameter.GetProperty("type").GetString()!;
        if (!type.StartsWith("tuple", StringComparison.Ordinal))
        {
            return type;
        }

        string components = string.Join(',', parameter.GetProperty("components").EnumerateArray().Select(CanonicalType));
        return $"({components}){type["tuple".Length..]}";
    }
}
