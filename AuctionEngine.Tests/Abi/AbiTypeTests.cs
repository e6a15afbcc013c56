using AuctionEngine.Abi;
using NUnit.Framework;

namespace AuctionEngine.Tests.Abi;

/// <summary>Parsing ABI types, their canonical names (which selectors hash) and their layout.</summary>
[TestFixture]
public sealed class AbiTypeTests
{
    [TestCase("uint256")]
    [TestCase("int8")]
    [TestCase("address")]
    [TestCase("bool")]
    [TestCase("bytes1")]
    [TestCase("bytes32")]
    [TestCase("bytes")]
    [TestCase("string")]
    [TestCase("uint8[3][]")]
    [TestCase("(uint256,address[],(bytes,string)[2])[]")]
    [TestCase("((((bool))))")]
    public void CanonicalNamesParseToThemselves(string text) =>
        Assert.That(AbiType.Parse(text).CanonicalName, Is.EqualTo(text));

    [TestCase("uint", "uint256")]
    [TestCase("int[]", "int256[]")]
    [TestCase("tuple(uint,bytes)[2]", "(uint256,bytes)[2]")]
    public void AliasesParseToCanonicalNames(string text, string canonical) =>
        Assert.That(AbiType.Parse(text).CanonicalName, Is.EqualTo(canonical));

    [TestCase("")]
    [TestCase("uint7")]
    [TestCase("uint0")]
    [TestCase("uint264")]
    [TestCase("uint08")]
    [TestCase("int512")]
    [TestCase("bytes0")]
    [TestCase("bytes33")]
    [TestCase("bytes01")]
    [TestCase("fixed128x18")]
    [TestCase("uint256[0]")]
    [TestCase("uint256[01]")]
    [TestCase("uint256[-1]")]
    [TestCase("uint256[")]
    [TestCase("uint256]")]
    [TestCase("()")]
    [TestCase("(uint256")]
    [TestCase("(uint256,)")]
    [TestCase("(,uint256)")]
    [TestCase("(uint256))")]
    [TestCase("uint256 ")]
    [TestCase("( uint256)")]
    [TestCase("tuple")]
    [TestCase("uint256[4294967296]")]
    [TestCase("uint256[100000000]")]
    public void MalformedTypesAreRefused(string text) =>
        Assert.That(() => AbiType.Parse(text), Throws.TypeOf<FormatException>());

    [Test]
    public void NestingIsBoundedSoEncodingCannotExhaustTheStack()
    {
        string deepest = new string('(', AbiType.MaxDepth) + "bool" + new string(')', AbiType.MaxDepth);
        string tooDeep = "(" + deepest + ")";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AbiType.Parse(deepest).Depth, Is.EqualTo(AbiType.MaxDepth));
            Assert.That(() => AbiType.Parse(tooDeep), Throws.TypeOf<FormatException>());
            Assert.That(() => AbiType.Parse("bool" + string.Concat(Enumerable.Repeat("[]", AbiType.MaxDepth + 1))), Throws.TypeOf<FormatException>());
            Assert.That(() => AbiType.Parse(new string('(', 100_000)), Throws.TypeOf<FormatException>());
        }
    }

    [Test]
    public void LayoutFollowsTheSpecification()
    {
        AbiType fills = AbiType.Parse("(address,uint8,uint256,uint256)[]");
        AbiType staticTuple = AbiType.Parse("(address,uint8[3],bytes32)");
        AbiType dynamicFixed = AbiType.Parse("string[2]");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fills.IsDynamic, Is.True);
            Assert.That(fills.HeadSize, Is.EqualTo(32));
            Assert.That(fills.ElementType!.HeadSize, Is.EqualTo(128));
            Assert.That(staticTuple.IsDynamic, Is.False);
            Assert.That(staticTuple.HeadSize, Is.EqualTo(5 * 32));
            Assert.That(dynamicFixed.IsDynamic, Is.True);
            Assert.That(dynamicFixed.Length, Is.EqualTo(2));
        }
    }

    [Test]
    public void FactoriesBuildTheSameTypesAsParsing()
    {
        AbiType built = AbiType.DynamicArray(AbiType.Tuple(AbiType.UInt(), AbiType.DynamicArray(AbiType.Address), AbiType.FixedArray(AbiType.Tuple(AbiType.Bytes, AbiType.String), 2)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(built, Is.EqualTo(AbiType.Parse("(uint256,address[],(bytes,string)[2])[]")));
            Assert.That(AbiType.Int(64).CanonicalName, Is.EqualTo("int64"));
            Assert.That(AbiType.FixedBytes(20).CanonicalName, Is.EqualTo("bytes20"));
            Assert.That(() => AbiType.UInt(12), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => AbiType.FixedBytes(0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => AbiType.FixedArray(AbiType.Bool, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => AbiType.Tuple(), Throws.ArgumentException);
        }
    }

    [Test]
    public void ParseListReadsParameterLists()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(string.Join('|', AbiType.ParseList("address,(uint,bool)[],bytes").Select(t => t.CanonicalName)), Is.EqualTo("address|(uint256,bool)[]|bytes"));
            Assert.That(AbiType.ParseList(""), Is.Empty);
            Assert.That(() => AbiType.ParseList("address,"), Throws.TypeOf<FormatException>());
        }
    }
}
