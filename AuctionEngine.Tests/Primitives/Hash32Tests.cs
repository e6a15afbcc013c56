using AuctionEngine.Primitives;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Primitives;

/// <summary>32-byte values: parsing, formatting, byte round trips and equality.</summary>
[TestFixture]
public sealed class Hash32Tests
{
    private const string Text = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";

    private static readonly Arbitrary<byte[]> ThirtyTwoBytes = Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), Hash32.Length));

    [TestCase(Text)]
    [TestCase("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [TestCase("0XC5D2460186F7233C927E7DB2DCC703C0E500B653CA82273B7BFAD8045D85A470")]
    public void ParsesSixtyFourHexDigitsWithOrWithoutPrefixInAnyCase(string text) =>
        Assert.That(Hash32.Parse(text).ToString(), Is.EqualTo(Text));

    [TestCase("")]
    [TestCase("0x")]
    [TestCase("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a47")]
    [TestCase("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a4700")]
    [TestCase("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a47g")]
    public void RejectsAnythingElse(string text)
    {
        bool parsed = Hash32.TryParse(text, out Hash32 value);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed, Is.False);
            Assert.That(value, Is.EqualTo(Hash32.Zero));
            Assert.That(() => Hash32.Parse(text), Throws.TypeOf<FormatException>());
        }
    }

    [TestCase(31)]
    [TestCase(33)]
    public void ConstructorNeedsExactly32Bytes(int length) =>
        Assert.That(() => new Hash32(new byte[length]), Throws.TypeOf<ArgumentException>());

    [Test]
    public void WriteToAndTryFormatNeedRoom()
    {
        Hash32 value = Hash32.Parse(Text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => value.WriteTo(new byte[31]), Throws.TypeOf<ArgumentException>());
            Assert.That(value.TryFormat(new char[65], out int none, default, null), Is.False);
            Assert.That(none, Is.Zero);
            Assert.That(value.ToString("anything", null), Is.EqualTo(Text));
        }
    }

    [Test]
    public void ZeroIsTheDefault()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(default(Hash32).IsZero, Is.True);
            Assert.That(Hash32.Zero.ToString(), Is.EqualTo("0x" + new string('0', 64)));
            Assert.That(Hash32.Parse(Text).IsZero, Is.False);
        }
    }

    [FsCheck.NUnit.Property]
    public Property BytesAndTextRoundTrip() => Prop.ForAll(ThirtyTwoBytes, bytes =>
    {
        var value = new Hash32(bytes);
        string text = value.ToString();
        return value.ToArray().SequenceEqual(bytes) && Hash32.Parse(text) == value && text == "0x" + Convert.ToHexStringLower(bytes);
    });

    [FsCheck.NUnit.Property]
    public Property EqualityIsByteWise() => Prop.ForAll(ThirtyTwoBytes, ThirtyTwoBytes, (a, b) =>
    {
        var x = new Hash32(a);
        var y = new Hash32(b);
        bool same = a.SequenceEqual(b);
        return (x == y) == same && (x != y) != same && x.Equals((object)y) == same && x == new Hash32(a) &&
            x.GetHashCode() == new Hash32(a).GetHashCode();
    });
}
