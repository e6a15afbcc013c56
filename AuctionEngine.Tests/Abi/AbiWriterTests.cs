using System.Buffers;
using System.Numerics;
using AuctionEngine.Abi;
using AuctionEngine.Primitives;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Abi;

/// <summary>
/// The low-level writer lays out heads and tails exactly as the general encoder does, and writes a settlement call
/// without allocating once its output buffer has grown.
/// </summary>
[TestFixture]
public sealed class AbiWriterTests
{
    private static readonly AbiFunction Settle = AbiFunction.Parse("settle(uint64,uint256,(address,uint8,uint256,uint256)[],bytes32[])");

    private static readonly Arbitrary<SettlementFill[]> FillLists = Arb.From(
        from count in Gen.Choose(0, 6)
        from seeds in Gen.Choose(0, int.MaxValue).ArrayOf(count)
        select seeds.Select(Fill).ToArray());

    private static readonly Arbitrary<int> Seeds = Arb.From(Gen.Choose(0, int.MaxValue));

    [Test]
    public void SettlementCallEqualsTheGeneralEncoder()
    {
        SettlementFill[] fills = [Fill(1), Fill(2), Fill(3)];
        Hash32[] commitments = [Commitment(1), Commitment(2)];
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new AbiWriter();
        writer.Reset(buffer);

        WriteSettle(writer, batchId: 7, price: 250_010, fills, commitments);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(EncodeSettle(7, 250_010, fills, commitments)));
            Assert.That(writer.BytesWritten, Is.EqualTo(buffer.WrittenCount));
            Assert.That(writer.Depth, Is.Zero);
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property AnySettlementCallEqualsTheGeneralEncoder() => Prop.ForAll(FillLists, Seeds, (fills, seed) =>
    {
        Hash32[] commitments = [.. Enumerable.Range(seed % 5, seed % 4).Select(Commitment)];
        var buffer = new ArrayBufferWriter<byte>(1);
        var writer = new AbiWriter();
        writer.Reset(buffer);
        WriteSettle(writer, (ulong)seed * 0x9E3779B97F4A7C15, (UInt128)seed << 100, fills, commitments);
        return buffer.WrittenSpan.SequenceEqual(EncodeSettle((ulong)seed * 0x9E3779B97F4A7C15, (UInt128)seed << 100, fills, commitments));
    });

    [Test]
    public void WarmWriterWritesASettlementCallWithoutAllocating()
    {
        SettlementFill[] fills = [.. Enumerable.Range(0, 500).Select(Fill)];
        Hash32[] commitments = [.. Enumerable.Range(0, 500).Select(Commitment)];
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new AbiWriter();
        writer.Reset(buffer);
        WriteSettle(writer, 1, 100, fills, commitments);
        byte[] first = buffer.WrittenSpan.ToArray();

        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        WriteSettle(writer, 1, 100, fills, commitments);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(first));
        }

        buffer.Clear();
        writer.Reset(buffer);
        before = GC.GetAllocatedBytesForCurrentThread();
        WriteSettle(writer, 1, 100, fills, commitments);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero, "after Clear as well as ResetWrittenCount");
    }

    /// <summary>Dynamic members inside dynamic arrays inside a tuple: every offset is relative to its own head.</summary>
    [Test]
    public void NestedDynamicValuesEqualTheGeneralEncoder()
    {
        AbiType type = AbiType.Parse("(string,bytes[],int64,bytes7)");
        byte[][] blobs = [[], [1, 2, 3], [.. Enumerable.Range(0, 40).Select(i => (byte)i)]];
        const string text = "é€𝄞 settlement";
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new AbiWriter();
        writer.Reset(buffer);

        writer.BeginTuple(headWords: 4);
        writer.WriteOffset(AbiWriter.StringTailLength(text));
        writer.WriteOffset(AbiWriter.ArrayTailLength(blobs.Length, 1) + blobs.Sum(b => AbiWriter.BytesTailLength(b.Length)));
        writer.WriteInt(-5L);
        writer.WriteFixedBytes([1, 2, 3, 4, 5, 6, 7]);
        writer.WriteString(text);
        writer.WriteLength(blobs.Length);
        writer.BeginTuple(headWords: blobs.Length);
        foreach (byte[] blob in blobs)
        {
            writer.WriteOffset(AbiWriter.BytesTailLength(blob.Length));
        }

        foreach (byte[] blob in blobs)
        {
            writer.WriteBytes(blob);
        }

        writer.EndTuple();
        writer.EndTuple();

        AbiValue value = AbiValue.Tuple(
            AbiValue.FromString(text),
            AbiValue.Array([.. blobs.Select(b => AbiValue.FromBytes(b))]),
            AbiValue.FromInteger(-5),
            AbiValue.FromBytes([1, 2, 3, 4, 5, 6, 7]));
        Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(AbiEncoder.Encode(type, value)));
    }

    [Test]
    public void WordsMatchTheGeneralEncoderAtTheirBounds()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new AbiWriter();
        writer.Reset(buffer);
        BigInteger maxUInt = (BigInteger.One << 256) - 1;
        BigInteger minInt = -(BigInteger.One << 255);
        writer.WriteUInt(ulong.MaxValue);
        writer.WriteUInt(UInt128.MaxValue);
        writer.WriteUInt(maxUInt);
        writer.WriteInt(long.MinValue);
        writer.WriteInt(Int128.MinValue);
        writer.WriteInt(minInt);
        writer.WriteBool(true);

        AbiType type = AbiType.Parse("(uint64,uint128,uint256,int64,int128,int256,bool)");
        AbiValue value = AbiValue.Tuple(
            AbiValue.FromInteger(ulong.MaxValue), AbiValue.FromInteger(UInt128.MaxValue), AbiValue.FromInteger(maxUInt),
            AbiValue.FromInteger(long.MinValue), AbiValue.FromInteger(Int128.MinValue), AbiValue.FromInteger(minInt), AbiValue.FromBool(true));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(AbiEncoder.Encode(type, value)));
            Assert.That(() => writer.WriteUInt(maxUInt + 1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => writer.WriteUInt(BigInteger.MinusOne), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => writer.WriteInt(minInt - 1), Throws.TypeOf<ArgumentOutOfRangeException>());
        }
    }

    [Test]
    public void MisuseIsRefused()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new AbiWriter(maxDepth: 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => writer.WriteUInt(1UL), Throws.InvalidOperationException, "no output yet");
            writer.Reset(buffer);
            Assert.That(() => writer.WriteOffset(32), Throws.InvalidOperationException, "no open head");
            Assert.That(() => writer.EndTuple(), Throws.InvalidOperationException, "nothing to end");

            writer.BeginTuple(1);
            Assert.That(() => writer.BeginTuple(1), Throws.InvalidOperationException, "deeper than allowed");
            Assert.That(() => writer.WriteOffset(33), Throws.TypeOf<ArgumentOutOfRangeException>());
            writer.WriteOffset(64);
            Assert.That(() => writer.WriteOffset(32), Throws.InvalidOperationException, "the head is full");
            writer.WriteBytes([1]);
            writer.WriteUInt(0UL);
            Assert.That(() => writer.EndTuple(), Throws.InvalidOperationException, "one word more than declared");
            Assert.That(() => writer.WriteSelector(1), Throws.InvalidOperationException, "a selector comes first");
        }
    }

    private readonly record struct SettlementFill(Address Trader, byte Side, UInt128 Quantity, UInt128 Quote);

    // What a settlement engine would run per batch: only writer calls, no value tree.
    private static void WriteSettle(AbiWriter writer, ulong batchId, UInt128 price, SettlementFill[] fills, Hash32[] commitments)
    {
        writer.WriteSelector(Settle.Selector);
        writer.BeginTuple(headWords: 4);
        writer.WriteUInt(batchId);
        writer.WriteUInt(price);
        writer.WriteOffset(AbiWriter.ArrayTailLength(fills.Length, elementWords: 4));
        writer.WriteOffset(AbiWriter.ArrayTailLength(commitments.Length, elementWords: 1));
        writer.WriteLength(fills.Length);
        foreach (SettlementFill fill in fills)
        {
            writer.WriteAddress(fill.Trader);
            writer.WriteUInt(fill.Side);
            writer.WriteUInt(fill.Quantity);
            writer.WriteUInt(fill.Quote);
        }

        writer.WriteLength(commitments.Length);
        foreach (Hash32 commitment in commitments)
        {
            writer.WriteBytes32(commitment);
        }

        writer.EndTuple();
    }

    private static byte[] EncodeSettle(ulong batchId, UInt128 price, SettlementFill[] fills, Hash32[] commitments) => Settle.EncodeCall(
        AbiValue.FromInteger(batchId),
        AbiValue.FromInteger(price),
        AbiValue.Array([.. fills.Select(f => AbiValue.Tuple(AbiValue.FromAddress(f.Trader), AbiValue.FromInteger(f.Side), AbiValue.FromInteger(f.Quantity), AbiValue.FromInteger(f.Quote)))]),
        AbiValue.Array([.. commitments.Select(c => AbiValue.FromBytes(c.ToArray()))]));

    private static SettlementFill Fill(int seed)
    {
        var random = new Random(seed);
        Span<byte> trader = stackalloc byte[Address.Length];
        random.NextBytes(trader);
        return new SettlementFill(new Address(trader), (byte)(1 + (seed % 2)), (UInt128)random.NextInt64() * (ulong)random.NextInt64(), UInt128.MaxValue - (ulong)seed);
    }

    private static Hash32 Commitment(int seed)
    {
        Span<byte> bytes = stackalloc byte[Hash32.Length];
        new Random(seed).NextBytes(bytes);
        return new Hash32(bytes);
    }
}
