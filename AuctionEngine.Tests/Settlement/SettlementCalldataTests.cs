using System.Buffers;
using System.Text.Json;
using AuctionEngine.Abi;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
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

    [TestCase("settle")]
    [TestCase("commit")]
    public void TheSignaturesAreTheContractsOwn(string function)
    {
        // The committed ABI JSON is compiled from samples/contracts; CI fails if it drifts from the contract.
        using JsonDocument abi = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "AuctionSettlement.abi.json")));
        JsonElement entry = abi.RootElement.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "function" && e.GetProperty("name").GetString() == function);
        string signature = $"{function}({string.Join(',', entry.GetProperty("inputs").EnumerateArray().Select(CanonicalType))})";

        AbiFunction ours = function == "settle" ? SettlementCalldata.Settle : SettlementCalldata.Commit;
        Assert.That(ours.Signature, Is.EqualTo(signature));
    }

    [Test]
    public void SettleEqualsTheGeneralEncoderForBothKindsOfOrder()
    {
        SettlementFill[] fills = [RevealedFill(Alice, Side.Buy, 3), EncryptedFill(Bob, Side.Sell, 3, ciphertextLength: 418), EncryptedFill(Bob, Side.Sell, 0, ciphertextLength: 1)];
        var output = new ArrayBufferWriter<byte>();

        new SettlementCalldata().WriteSettle(output, batchId: 101, price: 250_010, fills);

        Assert.That(output.WrittenSpan.ToArray(), Is.EqualTo(EncodeGenerally(101, 250_010, fills)));
    }

    [Test]
    public void AnEmptySettlementEqualsTheGeneralEncoder()
    {
        var output = new ArrayBufferWriter<byte>();
        new SettlementCalldata().WriteSettle(output, batchId: 5, price: 1, []);
        Assert.That(output.WrittenSpan.ToArray(), Is.EqualTo(EncodeGenerally(5, 1, [])));
    }

    [Test]
    public void CommitIsTheSelectorAndTheCommitment()
    {
        var output = new ArrayBufferWriter<byte>();
        Hash32 commitment = Salt(3);
        new SettlementCalldata().WriteCommit(output, commitment);
        Assert.That(output.WrittenSpan.ToArray(), Is.EqualTo(SettlementCalldata.Commit.EncodeCall(AbiValue.FromBytes(commitment.ToArray()))));
    }

    [Test]
    public void WritingASettlementAllocatesNothingOnceWarm()
    {
        SettlementFill[] fills = [.. Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? RevealedFill(Alice, Side.Buy, i) : EncryptedFill(Bob, Side.Sell, i, 418))];
        var output = new ArrayBufferWriter<byte>(1 << 16);
        var calldata = new SettlementCalldata();
        calldata.WriteSettle(output, 9, 100, fills);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            output.ResetWrittenCount();
            calldata.WriteSettle(output, 9, 100, fills);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static SettlementFill RevealedFill(TestTrader trader, Side side, long lots)
    {
        SealedOrder order = trader.Order(side, 250_000, 10, nonce: (ulong)lots);
        return new SettlementFill(order, Salt((int)lots), trader.Sign(order), lots);
    }

    private static SettlementFill EncryptedFill(TestTrader trader, Side side, long lots, int ciphertextLength)
    {
        SealedOrder order = new(trader.Address, MarketAddress, BatchId, side, OrderType.Market, 0, 10, (ulong)lots);
        byte[] ciphertext = [.. Enumerable.Range(0, ciphertextLength).Select(i => (byte)(i * 7))];
        return new SettlementFill(order, default, trader.Sign(order), lots, ciphertext);
    }

    private static byte[] EncodeGenerally(ulong batchId, long price, SettlementFill[] fills) => SettlementCalldata.Settle.EncodeCall(
        AbiValue.FromInteger(batchId),
        AbiValue.FromInteger(price),
        AbiValue.Array([.. fills.Select(f => AbiValue.Tuple(
            AbiValue.Tuple(
                AbiValue.FromAddress(f.Order.Trader),
                AbiValue.FromInteger((byte)f.Order.Side),
                AbiValue.FromInteger((byte)f.Order.Type),
                AbiValue.FromInteger(f.Order.LimitPrice),
                AbiValue.FromInteger(f.Order.Quantity),
                AbiValue.FromInteger(f.Order.Nonce)),
            AbiValue.FromBytes(f.Salt.ToArray()),
            AbiValue.FromBytes(f.Signature.Span),
            AbiValue.FromInteger(f.Lots),
            AbiValue.FromBytes(f.Ciphertext.Span)))]));

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
