using System.Numerics;
using AuctionEngine.Abi;
using NUnit.Framework;

namespace AuctionEngine.Tests.Abi;

/// <summary>
/// The decoder accepts only canonical encodings and refuses everything else with <see cref="AbiDecodingException"/>,
/// naming the offending byte offset.
/// </summary>
[TestFixture]
public sealed class AbiDecoderTests
{
    private static string W(string hex) => hex.PadLeft(64, '0');

    private static byte[] Words(params string[] words) => Convert.FromHexString(string.Concat(words));

    private static IEnumerable<TestCaseData> Malformed()
    {
        yield return Case("uint8", Words(W("100")), 0, "uint8 above 255");
        yield return Case("int8", Words(W("80")), 0, "int8 128 without sign extension");
        yield return Case("int8", Words("ff" + W("7f")[2..]), 0, "int8 with wrong sign extension");
        yield return Case("address", Words("01" + W("aa")[2..]), 0, "address padding");
        yield return Case("bool", Words(W("2")), 0, "bool 2");
        yield return Case("bool", Words("01" + W("1")[2..]), 0, "bool with high bits");
        yield return Case("bytes2", Words("abcd01" + new string('0', 58)), 0, "bytes2 padding");
        yield return Case("uint256", Words(W("1"))[..31], 31, "truncated word");
        yield return Case("uint256", Words(W("1"), W("0")), 32, "trailing word");
        yield return Case("bytes", Words(W("1"), "ab" + new string('0', 62), W("0")), 64, "trailing word after bytes");
        yield return Case("bytes", Words(W("3"), "abcdef01" + new string('0', 56)), 32, "padding after bytes");
        yield return Case("bytes", Words(W("21"), W("0")), 0, "length beyond the input");
        yield return Case("bytes", Words("01" + W("0")[2..]), 0, "length beyond any input");
        yield return Case("string", Words(W("2"), "c328" + new string('0', 60)), 32, "invalid UTF-8");
        yield return Case("string", Words(W("3"), "eda080" + new string('0', 58)), 32, "UTF-8 surrogate");
        yield return Case("uint8[]", Words(W("2"), W("1")), 0, "array longer than the input");
        yield return Case("uint8[]", Words(W("ffffffff")), 0, "array length beyond any input");
        yield return Case("(bytes)", Words(W("21"), W("0"), W("0")), 0, "misaligned offset");
        yield return Case("(bytes)", Words(W("40"), W("0"), W("0")), 0, "non-canonical offset with a gap");
        yield return Case("(bytes)", Words(W("60"), W("0")), 0, "offset past the end");
        yield return Case("(bytes)", Words("01" + W("20")[2..], W("0")), 0, "offset beyond any input");
        yield return Case("(bytes,bytes)", Words(W("40"), W("40"), W("0")), 32, "two members sharing one tail");
        yield return Case("(uint256,bytes)", Words(W("1")), 32, "head longer than the input");
        yield return Case("bytes[]", Words(W("1"), W("0"), W("0")), 32, "array element offset pointing at itself");
        yield return Case("uint256", [], 0, "empty input");
    }

    private static TestCaseData Case(string type, byte[] data, int offset, string name) =>
        new TestCaseData(type, data, offset).SetArgDisplayNames(name);

    [TestCaseSource(nameof(Malformed))]
    public void MalformedInputIsRefusedAtItsOffset(string type, byte[] data, int offset) =>
        Assert.That(() => AbiDecoder.Decode(AbiType.Parse(type), data),
            Throws.TypeOf<AbiDecodingException>().With.Property(nameof(AbiDecodingException.Offset)).EqualTo(offset));

    [Test]
    public void BoundaryIntegersDecode()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(AbiDecoder.Decode(AbiType.Int(8), Words(new string('f', 62) + "80")).Integer, Is.EqualTo(new BigInteger(-128)));
            Assert.That(AbiDecoder.Decode(AbiType.Int(8), Words(W("7f"))).Integer, Is.EqualTo(new BigInteger(127)));
            Assert.That(AbiDecoder.Decode(AbiType.UInt(), Words(new string('f', 64))).Integer, Is.EqualTo((BigInteger.One << 256) - 1));
            Assert.That(AbiDecoder.Decode(AbiType.Int(), Words("8" + new string('0', 63))).Integer, Is.EqualTo(-(BigInteger.One << 255)));
        }
    }

    [Test]
    public void EmptyArraysAndNestedDynamicTuplesRoundTrip()
    {
        AbiType type = AbiType.Parse("((bytes,string[])[],uint8[],(string)[2])");
        AbiValue value = AbiValue.Tuple(
            AbiValue.Array(AbiValue.Tuple(AbiValue.FromBytes([]), AbiValue.Array()), AbiValue.Tuple(AbiValue.FromBytes([1, 2, 3]), AbiValue.Array(AbiValue.FromString("é€𝄞")))),
            AbiValue.Array(),
            AbiValue.Array(AbiValue.Tuple(AbiValue.FromString("")), AbiValue.Tuple(AbiValue.FromString("x"))));

        Assert.That(AbiDecoder.Decode(type, AbiEncoder.Encode(type, value)), Is.EqualTo(value));
    }

    [Test]
    public void EncoderRefusesValuesThatDoNotFitTheirType()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => AbiEncoder.Encode(AbiType.UInt(8), AbiValue.FromInteger(256)), Throws.ArgumentException);
            Assert.That(() => AbiEncoder.Encode(AbiType.UInt(8), AbiValue.FromInteger(-1)), Throws.ArgumentException);
            Assert.That(() => AbiEncoder.Encode(AbiType.Int(8), AbiValue.FromInteger(128)), Throws.ArgumentException);
            Assert.That(() => AbiEncoder.Encode(AbiType.Int(8), AbiValue.FromInteger(-129)), Throws.ArgumentException);
            Assert.That(() => AbiEncoder.Encode(AbiType.FixedBytes(2), AbiValue.FromBytes([1])), Throws.ArgumentException);
            Assert.That(() => AbiEncoder.Encode(AbiType.Bool, AbiValue.FromInteger(1)), Throws.ArgumentException);
            Assert.That(() => AbiEncoder.Encode(AbiType.Parse("uint8[2]"), AbiValue.Array(AbiValue.FromInteger(1))), Throws.ArgumentException);
            Assert.That(() => AbiEncoder.Encode(AbiType.Parse("(bool,bool)"), AbiValue.Tuple(AbiValue.FromBool(true))), Throws.ArgumentException);
            Assert.That(() => AbiEncoder.Encode(AbiType.String, AbiValue.FromString("\ud800")), Throws.InstanceOf<ArgumentException>(), "a lone surrogate has no UTF-8 form");
            Assert.That(() => AbiEncoder.Encode(AbiType.Parse("(uint8)"), AbiValue.Array(AbiValue.FromInteger(1))), Throws.ArgumentException);
        }
    }
}
