using System.Buffers;
using System.Collections;
using System.Numerics;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Settlement;
using AuctionEngine.Tests.Support;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.SealedBatchScenario;

namespace AuctionEngine.Tests.Settlement;

/// <summary>
/// Our settlement calldata decoded by an independent codec, Nethereum.ABI, from the contract's committed ABI JSON:
/// a bug our encoder and decoder share cannot hide behind round trips.
/// </summary>
[TestFixture]
public sealed class NethereumDecodingTests
{
    private static readonly TestTrader Alice = new(1);
    private static readonly TestTrader Bob = new(2);

    private static readonly ContractABI Contract = ABIDeserialiserFactory.DeserialiseContractABI(
        File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "AuctionSettlement.abi.json")));

    [Test]
    public void NethereumDecodesSettleExactlyAsWritten()
    {
        SettlementFill[] fills =
        [
            SettlementCalldataTests.Fill(Alice, Side.Buy, 3),
            SettlementCalldataTests.Fill(Bob, Side.Sell, 3, OrderType.Market),
            SettlementCalldataTests.Fill(Bob, Side.Sell, 0),
        ];
        SealRejection[] voids = [new(Alice.Address, Salt(7), SealRejectReason.Unrevealed), new(Bob.Address, Salt(8), SealRejectReason.RevealMismatch)];
        byte[] key = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 3))];
        var output = new ArrayBufferWriter<byte>();
        new SettlementCalldata().WriteSettle(output, batchId: 123_456, price: 250_010, fills, voids, key);

        List<ParameterOutput> decoded = Decode("settle", output.WrittenSpan);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((BigInteger)decoded[0].Result, Is.EqualTo(new BigInteger(123_456)));
            Assert.That((BigInteger)decoded[1].Result, Is.EqualTo(new BigInteger(250_010)));
            IList decodedFills = (IList)decoded[2].Result;
            Assert.That(decodedFills, Has.Count.EqualTo(fills.Length));
            for (int i = 0; i < fills.Length; i++)
            {
                List<ParameterOutput> fill = Tuple(decodedFills[i]!);
                List<ParameterOutput> order = Tuple(fill[0].Result);
                Assert.That(Address.Parse((string)order[0].Result), Is.EqualTo(fills[i].Order.Trader));
                Assert.That((BigInteger)order[1].Result, Is.EqualTo(new BigInteger((int)fills[i].Order.Side)));
                Assert.That((BigInteger)order[2].Result, Is.EqualTo(new BigInteger((int)fills[i].Order.Type)));
                Assert.That((BigInteger)order[3].Result, Is.EqualTo(new BigInteger(fills[i].Order.LimitPrice)));
                Assert.That((BigInteger)order[4].Result, Is.EqualTo(new BigInteger(fills[i].Order.Quantity)));
                Assert.That((BigInteger)order[5].Result, Is.EqualTo((BigInteger)fills[i].Order.Nonce));
                Assert.That((byte[])fill[1].Result, Is.EqualTo(fills[i].Secret.ToArray()));
                Assert.That((byte[])fill[2].Result, Is.EqualTo(fills[i].Signature.ToArray()));
                Assert.That((BigInteger)fill[3].Result, Is.EqualTo(new BigInteger(fills[i].Lots)));
            }

            IList decodedVoids = (IList)decoded[3].Result;
            Assert.That(decodedVoids, Has.Count.EqualTo(voids.Length));
            for (int i = 0; i < voids.Length; i++)
            {
                List<ParameterOutput> voided = Tuple(decodedVoids[i]!);
                Assert.That(Address.Parse((string)voided[0].Result), Is.EqualTo(voids[i].Trader));
                Assert.That((byte[])voided[1].Result, Is.EqualTo(voids[i].Commitment.ToArray()));
                Assert.That((BigInteger)voided[2].Result, Is.EqualTo(new BigInteger((int)voids[i].Reason)));
            }

            Assert.That((byte[])decoded[4].Result, Is.EqualTo(key));
        }
    }

    [Test]
    public void NethereumDecodesCommitsAndRevealsExactlyAsWritten()
    {
        var calldata = new SettlementCalldata();
        var output = new ArrayBufferWriter<byte>();
        var reservation = new Reservation(7, Reservation.MaxAtoms);
        byte[] ciphertext = [.. Enumerable.Range(0, 418).Select(i => (byte)(i * 5))];

        calldata.WriteCommitEncrypted(output, Salt(1), reservation, ciphertext);
        List<ParameterOutput> commit = Decode("commitEncrypted", output.WrittenSpan);
        output.ResetWrittenCount();
        SettlementFill fill = SettlementCalldataTests.Fill(Alice, Side.Buy, 2);
        calldata.WriteReveal(output, BatchId, fill.Order, fill.Secret, fill.Signature.Span);
        List<ParameterOutput> reveal = Decode("reveal", output.WrittenSpan);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((byte[])commit[0].Result, Is.EqualTo(Salt(1).ToArray()));
            Assert.That((BigInteger)commit[1].Result, Is.EqualTo(new BigInteger(7)));
            Assert.That((BigInteger)commit[2].Result, Is.EqualTo((BigInteger)Reservation.MaxAtoms));
            Assert.That((byte[])commit[3].Result, Is.EqualTo(ciphertext));
            Assert.That((BigInteger)reveal[0].Result, Is.EqualTo(new BigInteger(BatchId)));
            Assert.That(Address.Parse((string)Tuple(reveal[1].Result)[0].Result), Is.EqualTo(Alice.Address));
            Assert.That((byte[])reveal[2].Result, Is.EqualTo(fill.Secret.ToArray()));
            Assert.That((byte[])reveal[3].Result, Is.EqualTo(fill.Signature.ToArray()));
        }
    }

    private static List<ParameterOutput> Decode(string function, ReadOnlySpan<byte> calldata)
    {
        FunctionABI abi = Contract.Functions.Single(f => f.Name == function);
        string hex = "0x" + HexText.Lower(calldata);
        Assert.That(new FunctionCallDecoder().IsDataForFunction(abi, hex), Is.True, $"Nethereum does not recognise our {function} selector");
        return new FunctionCallDecoder().DecodeInput(abi, hex);
    }

    private static List<ParameterOutput> Tuple(object value) => (List<ParameterOutput>)value;
}
