using System.Text;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
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
    [TestCase("0xC5d2460186F7233c927E7db2dcc703c0E500b653cA82273b7bfAD8045d85a470")]
    public void ParsesSixtyFourHexDigitsWithOrWithoutPrefixInAnyCase(string text)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Hash32.Parse(text).ToString(), Is.EqualTo(Text));
            Assert.That(Hash32.Parse(Encoding.ASCII.GetBytes(text)).ToString(), Is.EqualTo(Text));
        }
    }

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
            Assert.That(Hash32.TryParse(Encoding.UTF8.GetBytes(text), out Hash32 fromUtf8), Is.False);
            Assert.That(fromUtf8, Is.EqualTo(Hash32.Zero));
            Assert.That(() => Hash32.Parse(Encoding.UTF8.GetBytes(text)), Throws.TypeOf<FormatException>());
        }
    }

    [TestCase(31)]
    [TestCase(33)]
    public void ConstructorNeedsExactly32Bytes(int length) =>
        Assert.That(() => new Hash32(new byte[length]), Throws.TypeOf<ArgumentException>());

    [TestCase("")]
    [TestCase("x")]
    public void WriteToAndTryFormatNeedRoom(string format)
    {
        Hash32 value = Hash32.Parse(Text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => value.WriteTo(new byte[31]), Throws.TypeOf<ArgumentException>());
            Assert.That(value.TryFormat(new char[Hash32.TextLength - 1], out int none, format, null), Is.False);
            Assert.That(none, Is.Zero);
            Assert.That(value.TryFormat(new byte[Hash32.TextLength - 1], out int noBytes, format, null), Is.False);
            Assert.That(noBytes, Is.Zero);

            var chars = new char[Hash32.TextLength];
            Assert.That(value.TryFormat(chars, out int written, format, null), Is.True);
            Assert.That(new string(chars, 0, written), Is.EqualTo(Text));
            var utf8 = new byte[Hash32.TextLength + 1];
            Assert.That(value.TryFormat(utf8, out int bytesWritten, format, null), Is.True);
            Assert.That(Encoding.ASCII.GetString(utf8, 0, bytesWritten), Is.EqualTo(Text));
            Assert.That(value.ToString(format, null), Is.EqualTo(Text));
            Assert.That(value.ToString(null, null), Is.EqualTo(Text));
        }
    }

    [TestCase("X")]
    [TestCase("anything")]
    public void RejectsAnUnknownFormat(string format)
    {
        Hash32 value = Hash32.Parse(Text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => value.ToString(format, null), Throws.TypeOf<FormatException>());
            Assert.That(() => value.TryFormat(new char[Hash32.TextLength], out _, format, null), Throws.TypeOf<FormatException>());
            Assert.That(() => value.TryFormat(new byte[Hash32.TextLength], out _, format, null), Throws.TypeOf<FormatException>());
        }
    }

    [Test]
    public void TheGenericParsingInterfacesParseAsParseDoes()
    {
        Hash32 expected = Hash32.Parse(Text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ParseVia<Hash32>(Text), Is.EqualTo(expected));
            Assert.That(SpanParseVia<Hash32>(Text.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)), Is.EqualTo(expected));
            Assert.That(Utf8ParseVia<Hash32>(Encoding.ASCII.GetBytes(Text)), Is.EqualTo(expected));
            Assert.That(TryParseVia<Hash32>(null, out _), Is.False);
            Assert.That(TryParseVia<Hash32>(Text[..^1], out _), Is.False);
            Assert.That(TryUtf8ParseVia<Hash32>(Encoding.ASCII.GetBytes(Text[..^1]), out _), Is.False);
            Assert.That(() => ParseVia<Hash32>(null!), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => Utf8ParseVia<Hash32>(Encoding.ASCII.GetBytes(Text + "0")), Throws.TypeOf<FormatException>());
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
        return value.ToArray().SequenceEqual(bytes) && Hash32.Parse(text) == value && text == "0x" + HexText.Lower(bytes) &&
            Hash32.Parse(Encoding.ASCII.GetBytes(text)) == value && Hash32.Parse(text.ToUpperInvariant().AsSpan(2)) == value;
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

    private static T ParseVia<T>(string text)
        where T : IParsable<T> => T.Parse(text, null);

    private static T SpanParseVia<T>(string text)
        where T : ISpanParsable<T> => T.Parse(text.AsSpan(), null);

    private static T Utf8ParseVia<T>(byte[] text)
        where T : IUtf8SpanParsable<T> => T.Parse(text, null);

    private static bool TryParseVia<T>(string? text, out T result)
        where T : IParsable<T> => T.TryParse(text, null, out result!);

    private static bool TryUtf8ParseVia<T>(byte[] text, out T result)
        where T : IUtf8SpanParsable<T> => T.TryParse(text, null, out result!);
}
