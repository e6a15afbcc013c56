using AuctionEngine.Crypto;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using NUnit.Framework;
using static AuctionEngine.Tests.Management.ManagerHarness;

namespace AuctionEngine.Tests.Management;

/// <summary>The EIP-712 encodings of instructions and cancellations, and the manager's refusal of anything not signed by its trader.</summary>
[TestFixture]
public sealed class SignedInstructionTests
{
    private static readonly Instruction AStop = Stop(1, Side.Sell, StopKind.StopLoss, 1_000, 5, limit: 950, slippage: 0, expiry: 77, nonce: 9);

    [Test]
    public void AStopsStructHashIsTheKeccakOfItsTypeHashAndItsMembersAsWords()
    {
        byte[] expected = Keccak256.HashData(
        [
            .. Keccak256.HashData("StopInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint8 side,uint8 stopKind,uint256 triggerPrice,uint256 quantity,uint256 limitPrice,uint16 slippageBps,bool reduceOnly)"u8),
            .. Word(Trader(1)), .. Word(MarketAddress), .. Word(9), .. Word(77), .. Word(2), .. Word(1), .. Word(1_000), .. Word(5), .. Word(950), .. Word(0), .. Word(0),
        ]);
        Span<byte> actual = stackalloc byte[32];
        AStop.ComputeStructHash(new Keccak256(), actual);
        Assert.That(actual.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void AnOcosLegsAreNestedStructHashesAndItsTypeStringAppendsTheLegType()
    {
        InstructionLeg first = InstructionLeg.TrailingStop(Side.Buy, StopKind.TakeProfit, 250, 7, activationPrice: 800, limitPrice: 0, slippageBps: 30);
        InstructionLeg second = InstructionLeg.Limit(Side.Buy, 700, 7, displayQuantity: 2);
        byte[] legTypeHash = Keccak256.HashData("InstructionLeg(uint8 legType,uint8 side,uint8 stopKind,uint256 price,uint256 quantity,uint256 limitPrice,uint16 slippageBps,uint16 trailingBps,uint256 displayQuantity)"u8);
        byte[] firstHash = Keccak256.HashData([.. legTypeHash, .. Word(2), .. Word(1), .. Word(2), .. Word(800), .. Word(7), .. Word(0), .. Word(30), .. Word(250), .. Word(0)]);
        byte[] secondHash = Keccak256.HashData([.. legTypeHash, .. Word(3), .. Word(1), .. Word(0), .. Word(700), .. Word(7), .. Word(0), .. Word(0), .. Word(0), .. Word(2)]);
        byte[] expected = Keccak256.HashData(
        [
            .. Keccak256.HashData(System.Text.Encoding.UTF8.GetBytes(
                "OcoInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,InstructionLeg first,InstructionLeg second,bool reduceOnly)" +
                "InstructionLeg(uint8 legType,uint8 side,uint8 stopKind,uint256 price,uint256 quantity,uint256 limitPrice,uint16 slippageBps,uint16 trailingBps,uint256 displayQuantity)")),
            .. Word(Trader(2)), .. Word(MarketAddress), .. Word(1), .. Word(0), .. firstHash, .. secondHash, .. Word(1),
        ]);
        Span<byte> actual = stackalloc byte[32];
        (Oco(2, first, second, nonce: 1) with { ReduceOnly = true }).ComputeStructHash(new Keccak256(), actual);
        Assert.That(actual.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void AReduceOnlyLimitsStructHashEndsWithTheFlagAsAWordOfOne()
    {
        byte[] expected = Keccak256.HashData(
        [
            .. Keccak256.HashData("LimitInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint8 side,uint256 price,uint256 quantity,uint256 displayQuantity,bool reduceOnly)"u8),
            .. Word(Trader(3)), .. Word(MarketAddress), .. Word(4), .. Word(12), .. Word(2), .. Word(1_010), .. Word(8), .. Word(3), .. Word(1),
        ]);
        Span<byte> actual = stackalloc byte[32];
        (Limit(3, Side.Sell, 1_010, 8, display: 3, expiry: 12, nonce: 4) with { ReduceOnly = true }).ComputeStructHash(new Keccak256(), actual);
        Assert.That(actual.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void AReduceOnlyTwapsStructHashEndsWithTheFlagAsAWordOfOne()
    {
        byte[] expected = Keccak256.HashData(
        [
            .. Keccak256.HashData("TwapInstruction(address trader,address market,uint256 nonce,uint64 expiryBlock,uint8 side,uint256 quantity,uint32 parts,uint32 blocksPerPart,uint64 startBlock,uint16 toleranceBps,uint256 limitPrice,bool reduceOnly)"u8),
            .. Word(Trader(4)), .. Word(MarketAddress), .. Word(5), .. Word(0), .. Word(1), .. Word(60), .. Word(6), .. Word(2), .. Word(10), .. Word(150), .. Word(1_020), .. Word(1),
        ]);
        Span<byte> actual = stackalloc byte[32];
        (Twap(4, Side.Buy, 60, 6, 2, start: 10, tolerance: 150, limit: 1_020, nonce: 5) with { ReduceOnly = true }).ComputeStructHash(new Keccak256(), actual);
        Assert.That(actual.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void TheReduceOnlyFlagIsSignedForEveryKind()
    {
        InstructionLeg limit = InstructionLeg.Limit(Side.Sell, 1_010, 8);
        InstructionLeg stop = InstructionLeg.Stop(Side.Sell, StopKind.StopLoss, 900, 8);
        Instruction[] everyKind =
        [
            AStop, Trailing(1, Side.Sell, StopKind.StopLoss, 200, 5), Limit(1, Side.Sell, 1_010, 8), Twap(1, Side.Sell, 60, 6, 2),
            Oco(1, limit, stop), Bracket(1, InstructionLeg.Limit(Side.Buy, 1_000, 8), 1_100, 900), Hedge(1, -3, 2, 10), Quote(1, 4),
        ];
        Assert.That(everyKind.Select(i => i.Kind).Distinct().Count(), Is.EqualTo(Enum.GetValues<InstructionKind>().Length), "every kind is covered");
        var harness = new ManagerHarness();
        List<ManagementEvent> events = harness.SignedBlock(1, null,
            [.. everyKind.Select(i => SignedInstruction.Create(i, Domain, PrivateKey(1)) with { Instruction = i with { ReduceOnly = true } })]);
        var reasons = events.OfKind(ManagementEventKind.Rejected).ToDictionary(e => e.Instruction, e => e.Reason);
        using (Assert.EnterMultipleScope())
        {
            foreach (Instruction instruction in everyKind)
            {
                Instruction flagged = instruction with { ReduceOnly = true };
                Assert.That(IdOf(flagged), Is.Not.EqualTo(IdOf(instruction)), $"{instruction.Kind}: the flag changes the digest");
                Assert.That(reasons[IdOf(flagged)], Is.EqualTo(InstructionRejectReason.SignerNotTrader), $"{instruction.Kind}: setting the flag after signing breaks the signature");
            }

            Assert.That(harness.Manager.LiveInstructions, Is.Zero);
        }
    }

    [Test]
    public void TheDigestIsTheEip712DigestOfTheStructHashInTheOrdersDomain()
    {
        Span<byte> structHash = stackalloc byte[32];
        AStop.ComputeStructHash(new Keccak256(), structHash);
        Assert.That(AStop.ComputeDigest(Domain), Is.EqualTo(Eip712.Digest(Domain.Separator, new Hash32(structHash))));
    }

    [Test]
    public void ACancellationsDigestCoversTraderMarketAndInstruction()
    {
        var cancellation = new InstructionCancellation(Trader(1), MarketAddress, IdOf(AStop));
        byte[] structHash = Keccak256.HashData(
        [
            .. Keccak256.HashData("InstructionCancellation(address trader,address market,bytes32 instruction)"u8),
            .. Word(Trader(1)), .. Word(MarketAddress), .. IdOf(AStop).ToArray(),
        ]);
        Assert.That(cancellation.ComputeDigest(Domain), Is.EqualTo(Eip712.Digest(Domain.Separator, new Hash32(structHash))));
    }

    [Test]
    public void ASignedInstructionIsAcceptedUnderItsDigest()
    {
        var harness = new ManagerHarness();
        List<ManagementEvent> events = harness.SignedBlock(1, null, [SignedInstruction.Create(AStop, Domain, PrivateKey(1))]);
        Assert.That(events.OfKind(ManagementEventKind.Accepted).Single().Instruction, Is.EqualTo(IdOf(AStop)));
    }

    [Test]
    public void UnsignedMisSignedAndForeignInstructionsAreRefusedWithTheirReason()
    {
        var harness = new ManagerHarness();
        Instruction other = Stop(1, Side.Sell, StopKind.StopLoss, 1_000, 5, nonce: 1);
        Instruction third = Stop(1, Side.Sell, StopKind.StopLoss, 1_000, 5, nonce: 2);
        SignedInstruction bySomeoneElse = SignedInstruction.Create(other, Domain, PrivateKey(2));
        SignedInstruction tampered = SignedInstruction.Create(third, Domain, PrivateKey(1)) with { Instruction = third with { Nonce = 3 } };
        List<ManagementEvent> events = harness.SignedBlock(1, null, [new SignedInstruction(AStop, ReadOnlyMemory<byte>.Empty), bySomeoneElse, tampered]);
        var reasons = events.OfKind(ManagementEventKind.Rejected).ToDictionary(e => e.Instruction, e => e.Reason);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reasons[IdOf(AStop)], Is.EqualTo(InstructionRejectReason.BadSignature));
            Assert.That(reasons[IdOf(other)], Is.EqualTo(InstructionRejectReason.SignerNotTrader));
            Assert.That(reasons[IdOf(third with { Nonce = 3 })], Is.EqualTo(InstructionRejectReason.SignerNotTrader), "a changed field recovers another signer");
            Assert.That(harness.Manager.LiveInstructions, Is.Zero);
        }
    }

    [Test]
    public void TheSameSignedInstructionIsAcceptedOnceEvenAfterItFinished()
    {
        var harness = new ManagerHarness { FillRule = static (_, order) => order.Order.Quantity };
        SignedInstruction signed = SignedInstruction.Create(Limit(1, Side.Buy, 1_000, 5), Domain, PrivateKey(1));
        List<ManagementEvent> first = harness.SignedBlock(1, null, [signed, signed]);
        harness.SignedBlock(2, null, []); // batch 2 fills it: completed
        List<ManagementEvent> replay = harness.SignedBlock(3, null, [signed]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.OfKind(ManagementEventKind.Rejected).Single().Reason, Is.EqualTo(InstructionRejectReason.DuplicateInstruction));
            Assert.That(harness.Events.OfKind(ManagementEventKind.Completed).Count(), Is.EqualTo(1));
            Assert.That(replay.OfKind(ManagementEventKind.Rejected).Single().Reason, Is.EqualTo(InstructionRejectReason.DuplicateInstruction));
        }
    }

    [Test]
    public void CancellationsMustBeSignedByTheInstructionsTraderAndNameALiveInstruction()
    {
        var harness = new ManagerHarness();
        harness.SignedBlock(1, null, [SignedInstruction.Create(AStop, Domain, PrivateKey(1))]);
        var byOther = new InstructionCancellation(Trader(2), MarketAddress, IdOf(AStop));
        var unknown = new InstructionCancellation(Trader(1), MarketAddress, IdOf(AStop with { Nonce = 1 }));
        var wrongMarket = new InstructionCancellation(Trader(1), Trader(3), IdOf(AStop with { Nonce = 2 }));
        SignedCancellation forged = SignedCancellation.Create(new InstructionCancellation(Trader(1), MarketAddress, IdOf(AStop)), Domain, PrivateKey(2));
        List<ManagementEvent> events = harness.SignedBlock(2, null, [],
        [
            SignedCancellation.Create(byOther, Domain, PrivateKey(2)), SignedCancellation.Create(unknown, Domain, PrivateKey(1)),
            SignedCancellation.Create(wrongMarket, Domain, PrivateKey(1)), forged,
        ]);
        string[] reasons = [.. events.OfKind(ManagementEventKind.CancellationRejected).Select(e => e.Reason.ToString()).Order()];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reasons, Is.EqualTo(new[]
            {
                nameof(InstructionRejectReason.NotInstructionTrader), nameof(InstructionRejectReason.SignerNotTrader),
                nameof(InstructionRejectReason.UnknownInstruction), nameof(InstructionRejectReason.WrongMarket),
            }));
            Assert.That(harness.Manager.IsLive(IdOf(AStop)));
        }
    }

    private static byte[] Word(long value)
    {
        byte[] word = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(word.AsSpan(24), value);
        return word;
    }

    private static byte[] Word(Address address)
    {
        byte[] word = new byte[32];
        address.WriteTo(word.AsSpan(12));
        return word;
    }
}
