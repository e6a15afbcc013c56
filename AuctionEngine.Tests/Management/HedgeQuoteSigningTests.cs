using System.Numerics;
using AuctionEngine.Crypto;
using AuctionEngine.Management;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using FsCheck;
using FsCheck.Fluent;
using Nethereum.ABI;
using MemberDescription = Nethereum.ABI.EIP712.MemberDescription;
using MemberValue = Nethereum.ABI.EIP712.MemberValue;
using TypedDataRaw = Nethereum.ABI.EIP712.TypedDataRaw;
using Eip712TypedDataEncoder = Nethereum.ABI.EIP712.Eip712TypedDataEncoder;
using NUnit.Framework;
using static AuctionEngine.Tests.Management.ManagerHarness;

namespace AuctionEngine.Tests.Management;

/// <summary>
/// The EIP-712 encodings of <see cref="InstructionKind.DeltaHedge"/> and <see cref="InstructionKind.Quote"/>, checked
/// against an independent encoder: Nethereum's EIP-712 typed-data encoder, which builds the type string from the member
/// list and encodes each member (an <c>int256</c> included) itself. A wrong member order, type or sign extension on our
/// side gives another digest.
/// </summary>
public sealed class HedgeQuoteSigningTests
{
    private static readonly Gen<long> AnyLong = Gen.Frequency(
        (3, Gen.Elements(long.MinValue, long.MinValue + 1, -1L, 0L, 1L, long.MaxValue - 1, long.MaxValue)),
        (5, ArbMap.Default.GeneratorFor<long>()));

    private static readonly Gen<long> NonNegative = AnyLong.Select(v => v == long.MinValue ? 0 : Math.Abs(v));

    private static readonly Gen<int> UInt16 = Gen.Frequency((1, Gen.Elements(0, 1, 9_999, 10_000, 65_534, 65_535)), (3, Gen.Choose(0, 65_535)));

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property ADeltaHedgesDigestIsTheOneNethereumComputes() => Prop.ForAll(
        Arb.From(from target in AnyLong from band in NonNegative from max in NonNegative from tolerance in UInt16 from expiry in NonNegative
                 from flag in ArbMap.Default.GeneratorFor<bool>() from nonce in NonNegative
                 select Instruction.DeltaHedge(Trader(1), MarketAddress, (UInt128)nonce, expiry, target, band, max, tolerance) with { ReduceOnly = flag }),
        hedge => NethereumDigest("DeltaHedgeInstruction",
        [
            ("trader", "address", hedge.Trader.ToString()), ("market", "address", hedge.Market.ToString()), ("nonce", "uint256", (BigInteger)hedge.Nonce),
            ("expiryBlock", "uint64", (BigInteger)hedge.ExpiryBlock), ("targetDelta", "int256", (BigInteger)hedge.TargetDelta),
            ("band", "uint256", (BigInteger)hedge.Band), ("maxQuantity", "uint256", (BigInteger)hedge.MaxQuantity),
            ("toleranceBps", "uint16", (BigInteger)hedge.ToleranceBps), ("reduceOnly", "bool", hedge.ReduceOnly),
        ]) == hedge.ComputeDigest(Domain));

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property AQuotesDigestIsTheOneNethereumComputes() => Prop.ForAll(
        Arb.From(from quantity in NonNegative from half in UInt16 from min in NonNegative from vegaBps in UInt16 from vegaUnit in NonNegative
                 from deltaBps in UInt16 from deltaUnit in NonNegative from maxPosition in NonNegative from expiry in NonNegative
                 from flag in ArbMap.Default.GeneratorFor<bool>()
                 select Instruction.Quote(Trader(2), MarketAddress, 7, expiry, quantity, half, min, vegaBps, vegaUnit, deltaBps, deltaUnit, maxPosition) with { ReduceOnly = flag }),
        quote => NethereumDigest("QuoteInstruction",
        [
            ("trader", "address", quote.Trader.ToString()), ("market", "address", quote.Market.ToString()), ("nonce", "uint256", (BigInteger)quote.Nonce),
            ("expiryBlock", "uint64", (BigInteger)quote.ExpiryBlock), ("quantity", "uint256", (BigInteger)quote.Quantity),
            ("halfSpreadBps", "uint16", (BigInteger)quote.HalfSpreadBps), ("minHalfSpread", "uint256", (BigInteger)quote.MinHalfSpread),
            ("vegaSpreadBps", "uint16", (BigInteger)quote.VegaSpreadBps), ("vegaUnit", "uint256", (BigInteger)quote.VegaUnit),
            ("deltaSpreadBps", "uint16", (BigInteger)quote.DeltaSpreadBps), ("deltaUnit", "uint256", (BigInteger)quote.DeltaUnit),
            ("maxPosition", "uint256", (BigInteger)quote.MaxPosition), ("reduceOnly", "bool", quote.ReduceOnly),
        ]) == quote.ComputeDigest(Domain));

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property AnInt256WordIsNethereumsTwosComplementEncoding() => Prop.ForAll(Arb.From(AnyLong), value =>
    {
        byte[] word = new byte[32];
        Eip712.EncodeInt(value, word);
        Span<byte> buffer = stackalloc byte[Eip712StructEncoder.BufferSize(1)];
        var encoder = new Eip712StructEncoder(buffer, default);
        encoder.AddInt(value);
        byte[] expected = new ABIEncode().GetABIEncoded(new ABIValue("int256", (BigInteger)value));
        return word.AsSpan().SequenceEqual(expected) && encoder.Encoded[32..].SequenceEqual(expected);
    });

    [Test]
    public void TheTypeStringsAreTheDesignsAndTheKindsSignDistinctStructs()
    {
        Instruction hedge = Hedge(1, target: -5, band: 2, maxQuantity: 10);
        Instruction quote = Quote(1, quantity: 5);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Instruction.DeltaHedgeEncodedType, Is.EqualTo(
                "DeltaHedgeInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,int256 targetDelta,uint256 band,uint256 maxQuantity,uint16 toleranceBps,bool reduceOnly)"));
            Assert.That(Instruction.QuoteEncodedType, Is.EqualTo(
                "QuoteInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint256 quantity,uint16 halfSpreadBps,uint256 minHalfSpread,uint16 vegaSpreadBps,uint256 vegaUnit,uint16 deltaSpreadBps,uint256 deltaUnit,uint256 maxPosition,bool reduceOnly)"));
            Assert.That(IdOf(hedge with { TargetDelta = 5 }), Is.Not.EqualTo(IdOf(hedge)), "the target's sign is signed");
            Assert.That(IdOf(quote with { Kind = InstructionKind.DeltaHedge }), Is.Not.EqualTo(IdOf(quote)));
        }
    }

    [Test]
    public void TheFactoriesRefuseWhatTheirStructsCannotCarry()
    {
        Address t = Trader(1);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => Instruction.DeltaHedge(t, MarketAddress, 0, 0, long.MinValue, 0, 1, 65_535), Throws.Nothing);
            Assert.That(() => Instruction.DeltaHedge(t, MarketAddress, 0, -1, 0, 0, 1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.DeltaHedge(t, MarketAddress, 0, 0, 0, -1, 1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.DeltaHedge(t, MarketAddress, 0, 0, 0, 0, -1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.DeltaHedge(t, MarketAddress, 0, 0, 0, 0, 1, -1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.DeltaHedge(t, MarketAddress, 0, 0, 0, 0, 1, 65_536), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.Quote(t, MarketAddress, 0, 0, 1, 65_535, 0, 65_535, 1, 65_535, 1, 0), Throws.Nothing);
            Assert.That(() => Instruction.Quote(t, MarketAddress, 0, 0, 1, 65_536, 0, 0, 1, 0, 1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.Quote(t, MarketAddress, 0, 0, 1, 0, 0, 65_536, 1, 0, 1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.Quote(t, MarketAddress, 0, 0, 1, 0, 0, 0, 1, 65_536, 1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.Quote(t, MarketAddress, 0, 0, -1, 0, 0, 0, 1, 0, 1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.Quote(t, MarketAddress, 0, 0, 1, 0, -1, 0, 1, 0, 1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.Quote(t, MarketAddress, 0, 0, 1, 0, 0, 0, -1, 0, 1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.Quote(t, MarketAddress, 0, 0, 1, 0, 0, 0, 1, 0, -1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.Quote(t, MarketAddress, 0, 0, 1, 0, 0, 0, 1, 0, 1, -1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Instruction.Quote(t, MarketAddress, 0, -1, 1, 0, 0, 0, 1, 0, 1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        }
    }

    /// <summary>Nethereum's digest of one flat struct in the harness's domain.</summary>
    private static Hash32 NethereumDigest(string primaryType, (string Name, string Type, object Value)[] members)
    {
        var typedData = new TypedDataRaw
        {
            PrimaryType = primaryType,
            Types = new Dictionary<string, MemberDescription[]>
            {
                ["EIP712Domain"] =
                [
                    new() { Name = "name", Type = "string" }, new() { Name = "version", Type = "string" },
                    new() { Name = "chainId", Type = "uint256" }, new() { Name = "verifyingContract", Type = "address" },
                ],
                [primaryType] = [.. members.Select(m => new MemberDescription { Name = m.Name, Type = m.Type })],
            },
            DomainRawValues =
            [
                new() { TypeName = "string", Value = Domain.Name }, new() { TypeName = "string", Value = Domain.Version },
                new() { TypeName = "uint256", Value = (BigInteger)Domain.ChainId }, new() { TypeName = "address", Value = Domain.VerifyingContract.ToString() },
            ],
            Message = [.. members.Select(m => new MemberValue { TypeName = m.Type, Value = m.Value })],
        };
        byte[] encoded = Eip712TypedDataEncoder.Current.EncodeTypedDataRaw(typedData);
        return new Hash32(Keccak256.HashData(encoded));
    }
}
