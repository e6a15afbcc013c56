using System.Numerics;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Primitives;

/// <summary>20-byte addresses: parsing, formatting, byte round trips and 160-bit big-endian ordering.</summary>
[TestFixture]
public sealed class AddressTests
{
    private const string Text = "0x52908400098527886e0f7030069857d2e4169ee7";

    private static readonly Arbitrary<byte[]> TwentyBytes = Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), Address.Length));

    [TestCase(Text)]
    [TestCase("52908400098527886e0f7030069857d2e4169ee7")]
    [TestCase("0X52908400098527886E0F7030069857D2E4169EE7")]
    [TestCase("0x52908400098527886E0f7030069857d2E4169Ee7")]
    public void ParsesFortyHexDigitsWithOrWithoutPrefixInAnyCase(string text) =>
        Assert.That(Address.Parse(text).ToString(), Is.EqualTo(Text));

    [TestCase("")]
    [TestCase("0x")]
    [TestCase("0x52908400098527886e0f7030069857d2e4169ee")]
    [TestCase("0x52908400098527886e0f7030069857d2e4169ee70")]
    [TestCase("0x52908400098527886e0f7030069857d2e4169eg7")]
    [TestCase("0x 2908400098527886e0f7030069857d2e4169ee7")]
    [TestCase("0x0x908400098527886e0f7030069857d2e4169ee7")]
    [TestCase("xx52908400098527886e0f7030069857d2e4169ee7")]
    public void RejectsAnythingElse(string text)
    {
        bool parsed = Address.TryParse(text, out Address address);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed, Is.False);
            Assert.That(address, Is.EqualTo(Address.Zero));
            Assert.That(() => Address.Parse(text), Throws.TypeOf<FormatException>());
        }
    }

    [Test]
    public void BytesAreBigEndian()
    {
        byte[] bytes = [.. Enumerable.Range(1, Address.Length).Select(b => (byte)b)];
        var address = new Address(bytes);
        var written = new byte[Address.Length];
        address.WriteTo(written);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(address.ToString(), Is.EqualTo("0x0102030405060708090a0b0c0d0e0f1011121314"));
            Assert.That(written, Is.EqualTo(bytes));
        }
    }

    [TestCase(19)]
    [TestCase(21)]
    [TestCase(0)]
    public void ConstructorNeedsExactlyTwentyBytes(int length) =>
        Assert.That(() => new Address(new byte[length]), Throws.TypeOf<ArgumentException>());

    [Test]
    public void WriteToNeedsRoomForTwentyBytes() =>
        Assert.That(() => Address.Parse(Text).WriteTo(new byte[19]), Throws.TypeOf<ArgumentException>());

    [Test]
    public void TryFormatNeedsRoomForFortyTwoCharacters()
    {
        Address address = Address.Parse(Text);
        var tooShort = new char[41];
        var exact = new char[42];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(address.TryFormat(tooShort, out int none, default, null), Is.False);
            Assert.That(none, Is.Zero);
            Assert.That(address.TryFormat(exact, out int written, default, null), Is.True);
            Assert.That(new string(exact, 0, written), Is.EqualTo(Text));
            Assert.That(address.ToString("anything", null), Is.EqualTo(Text));
        }
    }

    [Test]
    public void ZeroIsTheDefault()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Address.Zero.IsZero, Is.True);
            Assert.That(default(Address), Is.EqualTo(Address.Zero));
            Assert.That(Address.Zero.ToString(), Is.EqualTo("0x" + new string('0', 40)));
            Assert.That(Address.Parse(Text).IsZero, Is.False);
            Assert.That(Build.Trader(1).IsZero, Is.False);
        }
    }

    [TestCase("0x0000000000000000000000000000000000000001", "0x0000000000000000000000000000000000000002")]
    [TestCase("0x00000000000000000000000000000000ffffffff", "0x0000000000000000000000000000000100000000")]
    [TestCase("0x000000000000000000000000ffffffffffffffff", "0x0000000000000001000000000000000000000000")]
    [TestCase("0x7fffffffffffffffffffffffffffffffffffffff", "0x8000000000000000000000000000000000000000")]
    [TestCase("0x00000000000000000000000000000000000000ff", "0x0100000000000000000000000000000000000000")]
    public void OrdersAsAnUnsigned160BitNumber(string lower, string higher)
    {
        Address low = Address.Parse(lower);
        Address high = Address.Parse(higher);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(low.CompareTo(high), Is.Negative);
            Assert.That(high.CompareTo(low), Is.Positive);
            Assert.That(low < high && low <= high && high > low && high >= low, Is.True);
            Assert.That(high < low || high <= low || low > high || low >= high, Is.False);
            Assert.That(low != high && !(low == high), Is.True);
        }
    }

    [FsCheck.NUnit.Property]
    public Property FormattingAndParsingRoundTrip() => Prop.ForAll(TwentyBytes, bytes =>
    {
        var address = new Address(bytes);
        var written = new byte[Address.Length];
        address.WriteTo(written);
        string text = address.ToString();
        return Address.Parse(text) == address && Address.Parse(text.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)) == address &&
            written.SequenceEqual(bytes) && text == "0x" + Convert.ToHexStringLower(bytes);
    });

    [FsCheck.NUnit.Property]
    public Property ComparisonMatchesTheBigEndianNumber() => Prop.ForAll(TwentyBytes, TwentyBytes, (a, b) =>
    {
        var x = new Address(a);
        var y = new Address(b);
        int expected = new BigInteger(a, isUnsigned: true, isBigEndian: true).CompareTo(new BigInteger(b, isUnsigned: true, isBigEndian: true));
        return Math.Sign(x.CompareTo(y)) == expected && (x == y) == (expected == 0) && (x == y) == x.Equals((object)y) &&
            (expected != 0 || x.GetHashCode() == y.GetHashCode());
    });
}
