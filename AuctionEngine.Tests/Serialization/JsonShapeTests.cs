using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;
using NUnit.Framework;

namespace AuctionEngine.Tests.Serialization;

/// <summary>
/// Every converter writes exactly the shape docs/json.md documents (the README's quick start and a sealed order
/// built from EIP-55's test addresses), through a source-generated context and through reflection alike, reads it
/// back to the same value, also from a reader whose input arrives one byte per segment, and the documentation shows
/// exactly what the converters write.
/// </summary>
[TestFixture]
public sealed class JsonShapeTests
{
    private static readonly Address Alice = Address.Parse("0x00000000000000000000000000000000000a11ce");
    private static readonly Address Trader = Address.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    private static readonly Address MarketAddress = Address.Parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
    private static readonly Hash32 Secret = new([.. Enumerable.Repeat((byte)0x11, 32)]);
    private static readonly Hash32 Commitment = new([.. Enumerable.Repeat((byte)0xc3, 32)]);
    private static readonly byte[] Signature = [.. Enumerable.Repeat((byte)0x22, 64), 0x1b];
    private static readonly SealedOrder Signed = new(Trader, MarketAddress, 7, Side.Buy, OrderType.Limit, 250_010, 40, 1);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, TypeInfoResolver = TestJsonContext.Default };

    private static readonly JsonSerializerOptions CamelCaseReflection = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static string? s_documentation;

    private static string Documentation => s_documentation ??= File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "json.md")).ReplaceLineEndings("\n");

    /// <summary>The README's quick start, cleared: its result and its three fills.</summary>
    private static (ClearingResult Result, Order[] Orders, Fill[] Fills) QuickStart()
    {
        var market = new Market(Address.Parse("0x00000000000000000000000000000000000000e1"), Address.Parse("0x00000000000000000000000000000000000000c0"), lotSize: 1_000_000_000_000_000, tickSize: 10_000);
        using var engine = new ClearingEngine(capacity: 16);
        Order[] orders =
        [
            Order.Limit(id: 1, Alice, Side.Buy, limitPrice: 250_010, quantity: 40, priorityKey: 0x9f1c),
            Order.Limit(id: 2, Alice, Side.Sell, limitPrice: 249_990, quantity: 25, priorityKey: 0x03a7),
            Order.Market(id: 3, Alice, Side.Sell, quantity: 10, priorityKey: 0x5d02),
        ];
        var fills = new Fill[orders.Length];
        ClearingResult result = engine.Clear(market, orders, fills, new ClearingOptions(PriceRule.Midpoint));
        return (result, orders, fills);
    }

    [Test]
    public void AddressAndHash32AreJsonStrings()
    {
        AssertShape(Trader, "\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"", TestJsonContext.Default.Address);
        AssertShape(Commitment, "\"0xc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3\"", TestJsonContext.Default.Hash32);
    }

    [Test]
    public void ClearingResultOfTheQuickStart() => AssertShape(
        QuickStart().Result,
        """{"status":"cleared","rule":"midpoint","price":"250010","volume":"35","surplus":"5","surplusSide":"bid","bestBid":"250010","bestAsk":"249990","acceptedCount":3,"rejectedCount":0,"filledCount":3,"rationedCount":1}""",
        TestJsonContext.Default.ClearingResult);

    [Test]
    public void ClearingResultWithoutAPrice() => AssertShape(
        new ClearingResult { Status = ClearingStatus.NothingExecutable, Rule = PriceRule.Xetra, BestBid = 99, AcceptedCount = 1 },
        """{"status":"nothingExecutable","rule":"xetra","price":null,"volume":"0","surplus":"0","surplusSide":"none","bestBid":"99","bestAsk":null,"acceptedCount":1,"rejectedCount":0,"filledCount":0,"rationedCount":0}""",
        TestJsonContext.Default.ClearingResult);

    [Test]
    public void FillsOfTheQuickStart()
    {
        Fill[] fills = QuickStart().Fills;
        AssertShape(fills[0], """{"filledQuantity":"35","quoteAmount":"87503500000","rejection":"none"}""", TestJsonContext.Default.Fill);
        AssertShape(fills[1], """{"filledQuantity":"25","quoteAmount":"62502500000","rejection":"none"}""", TestJsonContext.Default.Fill);
        AssertShape(fills[2], """{"filledQuantity":"10","quoteAmount":"25001000000","rejection":"none"}""", TestJsonContext.Default.Fill);
        AssertShape(new Fill(0, UInt128.Zero, RejectReason.DuplicateId), """{"filledQuantity":"0","quoteAmount":"0","rejection":"duplicateId"}""", TestJsonContext.Default.Fill);
    }

    [Test]
    public void OrdersOfTheQuickStart()
    {
        Order[] orders = QuickStart().Orders;
        AssertShape(
            orders[0],
            """{"id":"1","trader":"0x00000000000000000000000000000000000A11cE","side":"buy","type":"limit","limitPrice":"250010","quantity":"40","priorityKey":"40732"}""",
            TestJsonContext.Default.Order);
        AssertShape(
            orders[2],
            """{"id":"3","trader":"0x00000000000000000000000000000000000A11cE","side":"sell","type":"market","limitPrice":"0","quantity":"10","priorityKey":"23810"}""",
            TestJsonContext.Default.Order);
    }

    [Test]
    public void SealedOrderIsTheEip712StructInItsOrder() => AssertShape(
        Signed,
        """{"trader":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed","market":"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359","batchId":"7","side":"buy","type":"limit","limitPrice":"250010","quantity":"40","nonce":"1"}""",
        TestJsonContext.Default.SealedOrder);

    [Test]
    public void SealRejection() => AssertShape(
        new SealRejection(Address.Parse("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"), Commitment, SealRejectReason.Unrevealed),
        """{"trader":"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB","commitment":"0xc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3","reason":"unrevealed"}""",
        TestJsonContext.Default.SealRejection);

    [Test]
    public void SealedOrderOutcome()
    {
        var order = Order.Limit(0, Trader, Side.Buy, 250_010, 40, 0x9f1c);
        AssertShape(
            new SealedOrderOutcome(Commitment, Signed, Secret, order, QuickStart().Fills[0], SealRejectReason.None),
            """{"commitment":"0xc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3","signedOrder":{"trader":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed","market":"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359","batchId":"7","side":"buy","type":"limit","limitPrice":"250010","quantity":"40","nonce":"1"},"secret":"0x1111111111111111111111111111111111111111111111111111111111111111","order":{"id":"0","trader":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed","side":"buy","type":"limit","limitPrice":"250010","quantity":"40","priorityKey":"40732"},"fill":{"filledQuantity":"35","quoteAmount":"87503500000","rejection":"none"},"refusal":"none"}""",
            TestJsonContext.Default.SealedOrderOutcome);
    }

    [Test]
    public void SettlementFill()
    {
        string json =
            """{"order":{"trader":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed","market":"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359","batchId":"7","side":"buy","type":"limit","limitPrice":"250010","quantity":"40","nonce":"1"},"secret":"0x1111111111111111111111111111111111111111111111111111111111111111","signature":"0x222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222221b","lots":"35"}""";
        var fill = new SettlementFill(Signed, Secret, Signature, 35);
        AssertWrites(fill, json, TestJsonContext.Default.SettlementFill);
        AssertReadsBack(json, TestJsonContext.Default.SettlementFill, read =>
            read is not null && read.Order == fill.Order && read.Secret == fill.Secret && read.Signature.Span.SequenceEqual(Signature) && read.Lots == fill.Lots);
    }

    [Test]
    public void Reservation() => AssertShape(
        new Reservation(UInt128.Zero, 100_004_000_000),
        """{"baseAtoms":"0","quoteAtoms":"100004000000"}""",
        TestJsonContext.Default.Reservation);

    [Test]
    public void ABotsOwnRecordHoldsTheLibrarysTypesUnchanged()
    {
        (ClearingResult result, _, Fill[] fills) = QuickStart();
        var record = new BotBatchRecord(
            Alice,
            Secret,
            result,
            fills,
            [new SealRejection(Trader, Commitment, SealRejectReason.Unrevealed)],
            new Dictionary<Address, Reservation> { [Trader] = new(1, 2), [Alice] = new(3, 4) },
            new Dictionary<Hash32, SettlementFill> { [Commitment] = new(Signed, Secret, Signature, 35) },
            Referrer: null);

        string viaContext = JsonSerializer.Serialize(record, TestJsonContext.Default.BotBatchRecord);
        string viaReflection = JsonSerializer.Serialize(record, CamelCaseReflection);
        BotBatchRecord read = JsonSerializer.Deserialize(viaContext, TestJsonContext.Default.BotBatchRecord)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(viaContext, Does.Contain("\"Reserved\":{\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\":{\"baseAtoms\":\"1\",\"quoteAtoms\":\"2\"}"));
            Assert.That(viaContext, Does.Contain("\"ByCommitment\":{\"0xc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3\":{\"order\":"));
            Assert.That(viaContext, Does.Contain("\"Referrer\":null"));
            Assert.That(viaReflection, Does.Contain("\"result\":{\"status\":\"cleared\",\"rule\":\"midpoint\""), "a naming policy renames the bot's properties, never the documented shapes");
            Assert.That(read.Operator, Is.EqualTo(record.Operator));
            Assert.That(read.BlockHash, Is.EqualTo(record.BlockHash));
            Assert.That(read.Result, Is.EqualTo(record.Result));
            Assert.That(read.Fills, Is.EqualTo(record.Fills));
            Assert.That(read.Voids, Is.EqualTo(record.Voids));
            Assert.That(read.Reserved, Is.EqualTo(record.Reserved));
            Assert.That(read.ByCommitment.Keys, Is.EqualTo(record.ByCommitment.Keys));
            Assert.That(read.ByCommitment[Commitment].Signature.ToArray(), Is.EqualTo(Signature));
            Assert.That(read.Referrer, Is.Null);
        }
    }

    /// <summary>docs/json.md shows each documented value exactly as the converters write it, indented.</summary>
    [Test]
    public void TheDocumentationShowsWhatTheConvertersWrite()
    {
        (ClearingResult result, Order[] orders, Fill[] fills) = QuickStart();
        using (Assert.EnterMultipleScope())
        {
            AssertDocumented(result);
            AssertDocumented(fills[0]);
            AssertDocumented(orders[0]);
            AssertDocumented(Signed);
            AssertDocumented(new SealRejection(Address.Parse("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"), Commitment, SealRejectReason.Unrevealed));
            AssertDocumented(new SettlementFill(Signed, Secret, Signature, 35));
            AssertDocumented(new Reservation(UInt128.Zero, 100_004_000_000));
        }
    }

    /// <summary>Writes the same JSON through the source-generated context and through reflection, and reads it back equal.</summary>
    private static void AssertShape<T>(T value, string json, JsonTypeInfo<T> typeInfo)
    {
        AssertWrites(value, json, typeInfo);
        AssertReadsBack(json, typeInfo, read => EqualityComparer<T>.Default.Equals(read, value));
    }

    private static void AssertWrites<T>(T value, string json, JsonTypeInfo<T> typeInfo)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(JsonSerializer.Serialize(value, typeInfo), Is.EqualTo(json), "source-generated");
            Assert.That(JsonSerializer.Serialize(value), Is.EqualTo(json), "reflection");
        }
    }

    /// <summary>Reads back through the serializer, and through the converter from input split into one-byte segments.</summary>
    private static void AssertReadsBack<T>(string json, JsonTypeInfo<T> typeInfo, Func<T?, bool> matches)
    {
        var converter = (JsonConverter<T>)typeInfo.Converter;
        var reader = new Utf8JsonReader(OneBytePerSegment(Encoding.UTF8.GetBytes(json)));
        reader.Read();
        T? segmented = converter.Read(ref reader, typeof(T), JsonSerializerOptions.Default);
        bool consumedAll = !reader.Read();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(matches(JsonSerializer.Deserialize(json, typeInfo)), Is.True, "source-generated");
            Assert.That(matches(JsonSerializer.Deserialize<T>(json)), Is.True, "reflection");
            Assert.That(matches(segmented), Is.True, "one byte per segment");
            Assert.That(consumedAll, Is.True, "the converter stops at the end of its value");
        }
    }

    private static void AssertDocumented<T>(T value)
    {
        string indented = JsonSerializer.Serialize(value, Indented).ReplaceLineEndings("\n");
        Assert.That(Documentation, Does.Contain("```json\n" + indented + "\n```"), $"docs/json.md shows {typeof(T).Name} as written");
    }

    internal static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(bytes.AsMemory(0, 1), 0);
        Segment last = first;
        for (int i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
