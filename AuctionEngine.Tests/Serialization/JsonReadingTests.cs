using System.Globalization;
using System.Text.Json;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Serialization;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;
using NUnit.Framework;

namespace AuctionEngine.Tests.Serialization;

/// <summary>
/// What the converters accept and refuse when reading: every problem is a <see cref="JsonException"/> that names the
/// field, and only the documented forms are read.
/// </summary>
[TestFixture]
public sealed class JsonReadingTests
{
    private const string Checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    private const string SealedOrderJson =
        """{"trader":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed","market":"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359","batchId":"7","side":"buy","type":"limit","limitPrice":"250010","quantity":"40","nonce":"1"}""";

    private static Order ReadOrder(string quantity, string id = "\"1\"") =>
        JsonSerializer.Deserialize(
            $$"""{"id":{{id}},"trader":"{{Checksummed}}","side":"buy","type":"limit","limitPrice":"100","quantity":{{quantity}},"priorityKey":"0"}""",
            TestJsonContext.Default.Order);

    [TestCase("\"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\"")]
    [TestCase("\"0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED\"")]
    [TestCase("\"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"")]
    [TestCase("\"\\u0030x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"")]
    [TestCase("\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA\\u0065d\"")]
    public void AnAddressIsReadInEitherSingleCaseOrChecksummedAndEscaped(string json) =>
        Assert.That(JsonSerializer.Deserialize(json, TestJsonContext.Default.Address), Is.EqualTo(Address.Parse(Checksummed)));

    [Test]
    public void AnAddressWithAWrongChecksumIsRefusedAndSaysSo() =>
        Assert.That(
            () => JsonSerializer.Deserialize("\"0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"", TestJsonContext.Default.Address),
            Throws.TypeOf<JsonException>().With.Message.Contains("EIP-55 checksum"));

    [TestCase("\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe\"")]
    [TestCase("\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd\"")]
    [TestCase("\"\"")]
    [TestCase("null")]
    [TestCase("42")]
    [TestCase("{}")]
    [TestCase("[\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"]")]
    public void AnythingElseIsNotAnAddress(string json) =>
        Assert.That(() => JsonSerializer.Deserialize(json, TestJsonContext.Default.Address), Throws.TypeOf<JsonException>());

    [TestCase("\"0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a47\"")]
    [TestCase("\"0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a4700\"")]
    [TestCase("null")]
    [TestCase("1")]
    public void AnythingButSixtyFourDigitsIsNotAHash(string json) =>
        Assert.That(() => JsonSerializer.Deserialize(json, TestJsonContext.Default.Hash32), Throws.TypeOf<JsonException>());

    [TestCase("\"40\"", 40)]
    [TestCase("40", 40)]
    [TestCase("\"-40\"", -40)]
    [TestCase("-40", -40)]
    [TestCase("\"0040\"", 40)]
    [TestCase("\"9223372036854775807\"", long.MaxValue)]
    [TestCase("\"-9223372036854775808\"", long.MinValue)]
    [TestCase("-9223372036854775808", long.MinValue)]
    [TestCase("\"\\u0034\\u0030\"", 40)]
    public void ASignedIntegerIsReadFromADecimalStringOrAJsonInteger(string json, long expected) =>
        Assert.That(ReadOrder(json).Quantity, Is.EqualTo(expected));

    [TestCase("\"+40\"")]
    [TestCase("\" 40\"")]
    [TestCase("\"40 \"")]
    [TestCase("\"40.0\"")]
    [TestCase("40.0")]
    [TestCase("4e1")]
    [TestCase("\"4e1\"")]
    [TestCase("\"0x28\"")]
    [TestCase("\"\"")]
    [TestCase("\"9223372036854775808\"")]
    [TestCase("9223372036854775808")]
    [TestCase("\"-9223372036854775809\"")]
    [TestCase("null")]
    [TestCase("true")]
    [TestCase("[40]")]
    public void AnythingElseIsNotASignedInteger(string json) =>
        Assert.That(() => ReadOrder(json), Throws.TypeOf<JsonException>().With.Message.Contains("Order.quantity"));

    [TestCase("\"-1\"")]
    [TestCase("-1")]
    [TestCase("\"18446744073709551616\"")]
    [TestCase("18446744073709551616")]
    public void AnUnsignedIntegerRefusesASignAndAnythingPastItsRange(string json) =>
        Assert.That(() => ReadOrder("1", id: json), Throws.TypeOf<JsonException>().With.Message.Contains("Order.id"));

    [Test]
    public void A128BitIntegerIsExactAtItsEnds()
    {
        string max = UInt128.MaxValue.ToString(CultureInfo.InvariantCulture);
        string pastMax = "340282366920938463463374607431768211456";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JsonSerializer.Deserialize($$"""{"baseAtoms":"0","quoteAtoms":{{"5192296858534827628530496329220095"}}}""", TestJsonContext.Default.Reservation).QuoteAtoms, Is.EqualTo(Reservation.MaxAtoms));
            Assert.That(ReadFill(max).QuoteAmount, Is.EqualTo(UInt128.MaxValue));
            Assert.That(ReadFill($"\"{max}\"").QuoteAmount, Is.EqualTo(UInt128.MaxValue));
            Assert.That(() => ReadFill(pastMax), Throws.TypeOf<JsonException>().With.Message.Contains("Fill.quoteAmount"));
            Assert.That(() => ReadFill($"\"{pastMax}\""), Throws.TypeOf<JsonException>().With.Message.Contains("Fill.quoteAmount"));
        }

        static Fill ReadFill(string quote) =>
            JsonSerializer.Deserialize($$"""{"filledQuantity":"1","quoteAmount":{{quote}},"rejection":"none"}""", TestJsonContext.Default.Fill);
    }

    [Test]
    public void AMissingPropertyIsNamed() =>
        Assert.That(
            () => JsonSerializer.Deserialize("""{"filledQuantity":"1","rejection":"none"}""", TestJsonContext.Default.Fill),
            Throws.TypeOf<JsonException>().With.Message.Contains("\"quoteAmount\""));

    [Test]
    public void ARepeatedPropertyIsRefused() =>
        Assert.That(
            () => JsonSerializer.Deserialize("""{"filledQuantity":"1","quoteAmount":"5","filledQuantity":"2","rejection":"none"}""", TestJsonContext.Default.Fill),
            Throws.TypeOf<JsonException>().With.Message.Contains("\"filledQuantity\" more than once"));

    [Test]
    public void UnknownPropertiesOfAnyKindAreSkipped()
    {
        string json = """{"memo":{"nested":[1,{"x":"y"}]},"filledQuantity":"1","extra":[["a"]],"quoteAmount":"5","n":null,"rejection":"none","last":3}""";
        Fill fill = JsonSerializer.Deserialize(json, TestJsonContext.Default.Fill);
        Assert.That((fill.FilledQuantity, fill.QuoteAmount, fill.Rejection), Is.EqualTo((1L, (UInt128)5, RejectReason.None)));
    }

    [Test]
    public void PropertyNamesAreCaseSensitiveAndAKnownNameInAnotherCaseIsUnknown() =>
        Assert.That(
            () => JsonSerializer.Deserialize("""{"FilledQuantity":"1","quoteAmount":"0","rejection":"none"}""", TestJsonContext.Default.Fill),
            Throws.TypeOf<JsonException>().With.Message.Contains("\"filledQuantity\""));

    [TestCase("\"Buy\"")]
    [TestCase("\"BUY\"")]
    [TestCase("\"bid\"")]
    [TestCase("256")]
    [TestCase("-1")]
    [TestCase("1.5")]
    [TestCase("null")]
    public void AnEnumIsOneOfItsNamesOrANumberFrom0To255(string side) =>
        Assert.That(
            () => JsonSerializer.Deserialize(SealedOrderJson.Replace("\"side\":\"buy\"", $"\"side\":{side}", StringComparison.Ordinal), TestJsonContext.Default.SealedOrder),
            Throws.TypeOf<JsonException>().With.Message.Contains("SealedOrder.side"));

    [Test]
    public void AnEnumValueWithNoNameIsWrittenAndReadAsItsNumber()
    {
        var order = new Order(5, Address.Zero, (Side)0, (OrderType)9, 10, 1, 0);
        string json = JsonSerializer.Serialize(order, TestJsonContext.Default.Order);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(json, Does.Contain("\"side\":0,\"type\":9,"));
            Assert.That(JsonSerializer.Deserialize(json, TestJsonContext.Default.Order), Is.EqualTo(order));
            Assert.That(JsonSerializer.Deserialize(json.Replace("\"side\":0", "\"side\":2", StringComparison.Ordinal), TestJsonContext.Default.Order).Side, Is.EqualTo(Side.Sell));
        }
    }

    [TestCase("""{"filledQuantity":"-1","quoteAmount":"0","rejection":"none"}""")]
    [TestCase("""{"filledQuantity":"0","quoteAmount":"1","rejection":"none"}""")]
    [TestCase("""{"filledQuantity":"1","quoteAmount":"1","rejection":"duplicateId"}""")]
    [TestCase("""{"filledQuantity":"0","quoteAmount":"1","rejection":"overCapacity"}""")]
    public void AFillTheEngineCannotProduceIsRefused(string json) =>
        Assert.That(() => JsonSerializer.Deserialize(json, TestJsonContext.Default.Fill), Throws.TypeOf<JsonException>().With.Message.Contains("Fill"));

    [TestCase("\"limitPrice\":\"250010\"", "\"limitPrice\":\"-1\"")]
    [TestCase("\"quantity\":\"40\"", "\"quantity\":\"-40\"")]
    public void ASealedOrderTheConstructorRefusesIsRefused(string field, string negative) =>
        Assert.That(
            () => JsonSerializer.Deserialize(SealedOrderJson.Replace(field, negative, StringComparison.Ordinal), TestJsonContext.Default.SealedOrder),
            Throws.TypeOf<JsonException>().With.Message.Contains("cannot be negative"));

    [TestCase(64)]
    [TestCase(66)]
    public void ASettlementFillNeedsA65ByteSignature(int length) =>
        Assert.That(
            () => JsonSerializer.Deserialize(SettlementFillJson("0x" + new string('1', 2 * length), "1"), TestJsonContext.Default.SettlementFill),
            Throws.TypeOf<JsonException>().With.Message.Contains("SettlementFill.signature"));

    [Test]
    public void ASettlementFillRefusesNegativeLotsAndReadsItsSignatureInEitherCase()
    {
        string upper = "0x" + new string('A', 128) + "1B";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => JsonSerializer.Deserialize(SettlementFillJson(upper, "-1"), TestJsonContext.Default.SettlementFill), Throws.TypeOf<JsonException>().With.Message.Contains("lots"));
            SettlementFill fill = JsonSerializer.Deserialize(SettlementFillJson(upper, "3"), TestJsonContext.Default.SettlementFill)!;
            Assert.That(fill.Signature.ToArray(), Is.EqualTo(Enumerable.Repeat((byte)0xaa, 64).Append((byte)0x1b)));
            Assert.That(JsonSerializer.Deserialize("null", TestJsonContext.Default.SettlementFill), Is.Null);
        }
    }

    [TestCase("\"5192296858534827628530496329220096\"", "\"0\"")]
    [TestCase("\"0\"", "\"5192296858534827628530496329220096\"")]
    public void AReservationAbove2To112AtomsIsRefused(string baseAtoms, string quoteAtoms) =>
        Assert.That(
            () => JsonSerializer.Deserialize($$"""{"baseAtoms":{{baseAtoms}},"quoteAtoms":{{quoteAtoms}}}""", TestJsonContext.Default.Reservation),
            Throws.TypeOf<JsonException>().With.Message.Contains("2^112"));

    [TestCase("[]")]
    [TestCase("\"{}\"")]
    [TestCase("null")]
    [TestCase("1")]
    public void AnObjectShapeNeedsAnObject(string json)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => JsonSerializer.Deserialize(json, TestJsonContext.Default.ClearingResult), Throws.TypeOf<JsonException>());
            Assert.That(() => JsonSerializer.Deserialize(json, TestJsonContext.Default.SealRejection), Throws.TypeOf<JsonException>());
        }
    }

    [Test]
    public void AnAddressKeyWithAWrongChecksumIsRefused() =>
        Assert.That(
            () => JsonSerializer.Deserialize("""{"0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed":{"baseAtoms":"1","quoteAtoms":"2"}}""", TestJsonContext.Default.GetTypeInfo(typeof(Dictionary<Address, Reservation>))!),
            Throws.TypeOf<JsonException>().With.Message.Contains("EIP-55 checksum"));

    /// <summary>
    /// The JSON name of every enum value is its C# name in camelCase, and every defined value has one: a member added
    /// to an enum without a JSON name fails here, not in a bot's logs.
    /// </summary>
    [Test]
    public void EveryDefinedEnumValueHasItsCamelCaseNameAndNoOtherValueHasOne()
    {
        using (Assert.EnterMultipleScope())
        {
            AssertNames<Side>(JsonEnumNames.Side);
            AssertNames<OrderType>(JsonEnumNames.OrderType);
            AssertNames<PriceRule>(JsonEnumNames.PriceRule);
            AssertNames<ClearingStatus>(JsonEnumNames.ClearingStatus);
            AssertNames<SurplusSide>(JsonEnumNames.SurplusSide);
            AssertNames<RejectReason>(JsonEnumNames.RejectReason);
            AssertNames<SealRejectReason>(JsonEnumNames.SealRejectReason);
        }

        static void AssertNames<TEnum>(JsonEncodedText[] names)
            where TEnum : struct, Enum
        {
            for (int value = 0; value <= byte.MaxValue; value++)
            {
                string? member = Enum.GetName(typeof(TEnum), (byte)value);
                string? expected = member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member);
                string? actual = value < names.Length && !names[value].EncodedUtf8Bytes.IsEmpty ? names[value].Value : null;
                Assert.That(actual, Is.EqualTo(expected), $"{typeof(TEnum).Name} {value}");
            }
        }
    }

    private static string SettlementFillJson(string signature, string lots) =>
        $$"""{"order":{{SealedOrderJson}},"secret":"0x{{new string('1', 64)}}","signature":"{{signature}}","lots":"{{lots}}"}""";
}
