using System.Numerics;
using AuctionEngine.Abi;
using AuctionEngine.Primitives;
using NUnit.Framework;

namespace AuctionEngine.Tests.Abi;

/// <summary>Function signatures, selectors and calldata, against values published for well-known functions.</summary>
[TestFixture]
public sealed class AbiFunctionTests
{
    [TestCase("transfer(address,uint256)", 0xa9059cbbu)]
    [TestCase("balanceOf(address)", 0x70a08231u)]
    [TestCase("approve(address,uint256)", 0x095ea7b3u)]
    [TestCase("transferFrom(address,address,uint256)", 0x23b872ddu)]
    [TestCase("totalSupply()", 0x18160dddu)]
    [TestCase("baz(uint32,bool)", 0xcdcd77c0u)]
    [TestCase("f(uint256,uint32[],bytes10,bytes)", 0x8be65246u)]
    public void SelectorsMatchPublishedValues(string signature, uint selector) =>
        Assert.That(AbiFunction.Parse(signature).Selector, Is.EqualTo(selector));

    [Test]
    public void SignaturesAreCanonicalised()
    {
        AbiFunction function = AbiFunction.Parse("transfer(address,uint)");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(function.Signature, Is.EqualTo("transfer(address,uint256)"));
            Assert.That(function.Name, Is.EqualTo("transfer"));
            Assert.That(function.Selector, Is.EqualTo(0xa9059cbbu));
            Assert.That(string.Join(',', function.Parameters), Is.EqualTo("address,uint256"));
        }
    }

    [TestCase("")]
    [TestCase("transfer")]
    [TestCase("(address)")]
    [TestCase("1transfer(address)")]
    [TestCase("trans fer(address)")]
    [TestCase("transfer(address")]
    [TestCase("transfer(address uint256)")]
    [TestCase("transfer(address to,uint256 amount)")]
    public void MalformedSignaturesAreRefused(string signature) =>
        Assert.That(() => AbiFunction.Parse(signature), Throws.TypeOf<FormatException>());

    /// <summary>The worked example of the Solidity ABI specification, "Use of Dynamic Types".</summary>
    [Test]
    public void SpecificationExampleEncodesAsPublished()
    {
        AbiFunction f = AbiFunction.Parse("f(uint256,uint32[],bytes10,bytes)");
        AbiValue[] arguments =
        [
            AbiValue.FromInteger(0x123),
            AbiValue.Array(AbiValue.FromInteger(0x456), AbiValue.FromInteger(0x789)),
            AbiValue.FromBytes("1234567890"u8),
            AbiValue.FromBytes("Hello, world!"u8),
        ];
        const string expected = "0x8be65246" +
            "0000000000000000000000000000000000000000000000000000000000000123" +
            "0000000000000000000000000000000000000000000000000000000000000080" +
            "3132333435363738393000000000000000000000000000000000000000000000" +
            "00000000000000000000000000000000000000000000000000000000000000e0" +
            "0000000000000000000000000000000000000000000000000000000000000002" +
            "0000000000000000000000000000000000000000000000000000000000000456" +
            "0000000000000000000000000000000000000000000000000000000000000789" +
            "000000000000000000000000000000000000000000000000000000000000000d" +
            "48656c6c6f2c20776f726c642100000000000000000000000000000000000000";

        byte[] calldata = f.EncodeCall(arguments);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AbiJson.Hex(calldata), Is.EqualTo(expected));
            Assert.That(f.DecodeCall(calldata), Is.EqualTo(arguments));
        }
    }

    [Test]
    public void DecodeCallRefusesAnotherFunctionsCalldataAndReportsCalldataOffsets()
    {
        AbiFunction transfer = AbiFunction.Parse("transfer(address,uint256)");
        byte[] approve = AbiFunction.Parse("approve(address,uint256)").EncodeCall(AbiValue.FromAddress(Address.Zero), AbiValue.FromInteger(BigInteger.One));
        byte[] dirty = transfer.EncodeCall(AbiValue.FromAddress(Address.Zero), AbiValue.FromInteger(BigInteger.One));
        dirty[4] = 1;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => transfer.DecodeCall(approve), Throws.TypeOf<AbiDecodingException>().With.Property(nameof(AbiDecodingException.Offset)).EqualTo(0));
            Assert.That(() => transfer.DecodeCall(dirty), Throws.TypeOf<AbiDecodingException>().With.Property(nameof(AbiDecodingException.Offset)).EqualTo(4));
            Assert.That(() => transfer.DecodeCall([0xa9, 0x05]), Throws.TypeOf<AbiDecodingException>());
        }
    }

    [Test]
    public void FunctionsWithoutParametersAreJustTheSelector()
    {
        AbiFunction totalSupply = AbiFunction.Parse("totalSupply()");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AbiJson.Hex(totalSupply.EncodeCall()), Is.EqualTo("0x18160ddd"));
            Assert.That(totalSupply.DecodeCall([0x18, 0x16, 0x0d, 0xdd]), Is.Empty);
            Assert.That(() => totalSupply.DecodeCall([0x18, 0x16, 0x0d, 0xdd, 0]), Throws.TypeOf<AbiDecodingException>());
            Assert.That(() => totalSupply.EncodeCall(AbiValue.FromBool(true)), Throws.ArgumentException);
        }
    }
}
