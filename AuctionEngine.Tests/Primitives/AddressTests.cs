using System.Numerics;
using System.Text;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Nethereum.Util;
using NUnit.Framework;

namespace AuctionEngine.Tests.Primitives;

/// <summary>
/// 20-byte addresses: EIP-55 checksummed text, parsing (UTF-16 and UTF-8, the generic parsing interfaces), formatting,
/// byte round trips and 160-bit big-endian ordering.
/// </summary>
[TestFixture]
public sealed class AddressTests
{
    private const string Lower = "0x52908400098527886e0f7030069857d2e4169ee7";

    // EIP-55's own test cases (eips.ethereum.org/EIPS/eip-55, "Test Cases"): each is the checksummed form of its address.
    private static readonly string[] AllCapsVectors = ["0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D"];

    private static readonly string[] AllLowerVectors = ["0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26"];

    private static readonly string[] NormalVectors =
    [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];

    private static readonly string[] Eip55Vectors = [.. AllCapsVectors, .. AllLowerVectors, .. NormalVectors];

    private static readonly Arbitrary<byte[]> TwentyBytes = Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), Address.Length));

    private static IEnumerable<TestCaseData> EveryLetterOfEveryNormalVector() =>
        from vector in NormalVectors
        from position in Enumerable.Range(2, 40)
        where char.IsAsciiLetter(vector[position])
        select new TestCaseData(vector, position);

    [TestCaseSource(nameof(Eip55Vectors))]
    public void FormatsEveryEip55TestCaseExactly(string vector)
    {
        Address address = Address.Parse(vector.ToLowerInvariant());
        var utf8 = new byte[Address.TextLength];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(address.ToString(), Is.EqualTo(vector));
            Assert.That(address.ToString(null, null), Is.EqualTo(vector));
            Assert.That(address.ToString("", null), Is.EqualTo(vector));
            Assert.That($"{address}", Is.EqualTo(vector));
            Assert.That(address.TryFormat(utf8, out int written, default, null), Is.True);
            Assert.That(Encoding.ASCII.GetString(utf8, 0, written), Is.EqualTo(vector));
            Assert.That(address.ToString("x", null), Is.EqualTo(vector.ToLowerInvariant()));
        }
    }

    [TestCaseSource(nameof(Eip55Vectors))]
    public void ParsesEveryEip55TestCaseInItsChecksummedFormAndInEitherSingleCase(string vector)
    {
        var bytes = Convert.FromHexString(vector.AsSpan(2));
        var expected = new Address(bytes);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Address.Parse(vector), Is.EqualTo(expected));
            Assert.That(Address.Parse(Encoding.ASCII.GetBytes(vector)), Is.EqualTo(expected));
            Assert.That(Address.Parse(vector.ToLowerInvariant()), Is.EqualTo(expected));
            Assert.That(Address.Parse("0x" + vector[2..].ToUpperInvariant()), Is.EqualTo(expected));
            Assert.That(Address.Parse(vector.AsSpan(2)), Is.EqualTo(expected));
        }
    }

    [TestCaseSource(nameof(EveryLetterOfEveryNormalVector))]
    public void RejectsAnEip55TestCaseWithAnyOneLetterInTheWrongCase(string vector, int position)
    {
        char[] text = vector.ToCharArray();
        text[position] = char.IsAsciiLetterUpper(text[position]) ? char.ToLowerInvariant(text[position]) : char.ToUpperInvariant(text[position]);
        string mistyped = new(text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Address.TryParse(mistyped, out Address address), Is.False);
            Assert.That(address, Is.EqualTo(Address.Zero));
            Assert.That(Address.TryParse(Encoding.ASCII.GetBytes(mistyped), out _), Is.False);
            Assert.That(() => Address.Parse(mistyped), Throws.TypeOf<FormatException>().With.Message.Contains("EIP-55 checksum"));
            Assert.That(() => Address.Parse(Encoding.ASCII.GetBytes(mistyped)), Throws.TypeOf<FormatException>().With.Message.Contains("EIP-55 checksum"));
        }
    }

    [TestCase(Lower)]
    [TestCase("52908400098527886e0f7030069857d2e4169ee7")]
    [TestCase("0X52908400098527886E0F7030069857D2E4169EE7")]
    [TestCase("0x52908400098527886E0F7030069857D2E4169EE7")]
    public void ParsesFortyHexDigitsWithOrWithoutPrefixInEitherSingleCase(string text) =>
        Assert.That(Address.Parse(text).ToString("x", null), Is.EqualTo(Lower));

    [TestCase("")]
    [TestCase("0x")]
    [TestCase("0x52908400098527886e0f7030069857d2e4169ee")]
    [TestCase("0x52908400098527886e0f7030069857d2e4169ee70")]
    [TestCase("0x52908400098527886e0f7030069857d2e4169eg7")]
    [TestCase("0x 2908400098527886e0f7030069857d2e4169ee7")]
    [TestCase("0x0x908400098527886e0f7030069857d2e4169ee7")]
    [TestCase("xx52908400098527886e0f7030069857d2e4169ee7")]
    [TestCase("0x52908400098527886e0f7030069857d2e4169ee\u0667")]
    [TestCase("0x52908400098527886E0f7030069857d2E4169Ee7")]
    public void RejectsAnythingElse(string text)
    {
        bool parsed = Address.TryParse(text, out Address address);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed, Is.False);
            Assert.That(address, Is.EqualTo(Address.Zero));
            Assert.That(() => Address.Parse(text), Throws.TypeOf<FormatException>());
            Assert.That(Address.TryParse(Encoding.UTF8.GetBytes(text), out Address fromUtf8), Is.False);
            Assert.That(fromUtf8, Is.EqualTo(Address.Zero));
            Assert.That(() => Address.Parse(Encoding.UTF8.GetBytes(text)), Throws.TypeOf<FormatException>());
        }
    }

    [Test]
    public void TheGenericParsingInterfacesParseAsParseDoesAndIgnoreTheProvider()
    {
        string vector = NormalVectors[0];
        Address expected = Address.Parse(vector);
        string mistyped = "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ParseVia<Address>(vector), Is.EqualTo(expected));
            Assert.That(SpanParseVia<Address>(vector), Is.EqualTo(expected));
            Assert.That(Utf8ParseVia<Address>(Encoding.ASCII.GetBytes(vector)), Is.EqualTo(expected));
            Assert.That(TryParseVia(vector, out Address viaString), Is.True);
            Assert.That(viaString, Is.EqualTo(expected));
            Assert.That(TryParseVia<Address>(null, out _), Is.False);
            Assert.That(TryParseVia<Address>(mistyped, out _), Is.False);
            Assert.That(TrySpanParseVia<Address>(mistyped, out _), Is.False);
            Assert.That(TryUtf8ParseVia<Address>(Encoding.ASCII.GetBytes(mistyped), out _), Is.False);
            Assert.That(() => ParseVia<Address>(mistyped), Throws.TypeOf<FormatException>());
            Assert.That(() => ParseVia<Address>(null!), Throws.TypeOf<ArgumentNullException>());
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
            Assert.That(address.ToString("x", null), Is.EqualTo("0x0102030405060708090a0b0c0d0e0f1011121314"));
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
        Assert.That(() => Address.Parse(Lower).WriteTo(new byte[19]), Throws.TypeOf<ArgumentException>());

    [TestCase("")]
    [TestCase("x")]
    public void TryFormatNeedsRoomForFortyTwoCharactersOrBytes(string format)
    {
        Address address = Address.Parse(Lower);
        string expected = address.ToString(format, null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(address.TryFormat(new char[Address.TextLength - 1], out int none, format, null), Is.False);
            Assert.That(none, Is.Zero);
            Assert.That(address.TryFormat(new byte[Address.TextLength - 1], out int noBytes, format, null), Is.False);
            Assert.That(noBytes, Is.Zero);

            var chars = new char[Address.TextLength];
            Assert.That(address.TryFormat(chars, out int written, format, null), Is.True);
            Assert.That(new string(chars, 0, written), Is.EqualTo(expected));
            var utf8 = new byte[Address.TextLength + 3];
            Assert.That(address.TryFormat(utf8, out int bytesWritten, format, null), Is.True);
            Assert.That(Encoding.ASCII.GetString(utf8, 0, bytesWritten), Is.EqualTo(expected));
        }
    }

    [TestCase("X")]
    [TestCase("C")]
    [TestCase("xx")]
    [TestCase("anything")]
    public void RejectsAnUnknownFormat(string format)
    {
        Address address = Address.Parse(Lower);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => address.ToString(format, null), Throws.TypeOf<FormatException>());
            Assert.That(() => address.TryFormat(new char[Address.TextLength], out _, format, null), Throws.TypeOf<FormatException>());
            Assert.That(() => address.TryFormat(new byte[Address.TextLength], out _, format, null), Throws.TypeOf<FormatException>());
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
            Assert.That(Address.Parse(Lower).IsZero, Is.False);
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

    /// <summary>Nethereum's own EIP-55 implementation is the independent reference for every address, not only the EIP's eight.</summary>
    [FsCheck.NUnit.Property]
    public Property ToStringIsTheChecksummedFormNethereumComputesAndEveryFormParsesBack() => Prop.ForAll(TwentyBytes, bytes =>
    {
        var address = new Address(bytes);
        var written = new byte[Address.Length];
        address.WriteTo(written);
        string lower = "0x" + HexText.Lower(bytes);
        string text = address.ToString();
        return text == AddressUtil.Current.ConvertToChecksumAddress(lower) &&
            address.ToString("x", null) == lower &&
            Address.Parse(text) == address && Address.Parse(lower) == address &&
            Address.Parse("0x" + lower[2..].ToUpperInvariant()) == address &&
            Address.Parse(Encoding.ASCII.GetBytes(text)) == address &&
            written.SequenceEqual(bytes);
    });

    /// <summary>
    /// Changing the case of any one letter of any checksummed address is refused, unless the result has no mixed case
    /// left to check (an address with a single letter), when it parses to the same address.
    /// </summary>
    [FsCheck.NUnit.Property]
    public Property ChangingTheCaseOfAnyOneLetterBreaksTheChecksum() => Prop.ForAll(TwentyBytes, Arb.From(Gen.Choose(0, 39)), (bytes, start) =>
    {
        var address = new Address(bytes);
        char[] text = address.ToString().ToCharArray();
        int[] letters = [.. Enumerable.Range(2, 40).Where(i => char.IsAsciiLetter(text[i]))];
        if (letters.Length == 0)
        {
            return true;
        }

        int position = letters[start % letters.Length];
        text[position] = (char)(text[position] ^ 0x20);
        string changed = new(text);
        string digits = changed[2..];
        bool singleCase = digits.All(c => !char.IsAsciiLetterUpper(c)) || digits.All(c => !char.IsAsciiLetterLower(c));
        bool parsed = Address.TryParse(changed, out Address result);
        return parsed == singleCase && (!parsed || result == address);
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

    private static T ParseVia<T>(string text)
        where T : IParsable<T> => T.Parse(text, null);

    private static T SpanParseVia<T>(string text)
        where T : ISpanParsable<T> => T.Parse(text.AsSpan(), null);

    private static T Utf8ParseVia<T>(byte[] text)
        where T : IUtf8SpanParsable<T> => T.Parse(text, null);

    private static bool TryParseVia<T>(string? text, out T result)
        where T : IParsable<T> => T.TryParse(text, null, out result!);

    private static bool TrySpanParseVia<T>(string text, out T result)
        where T : ISpanParsable<T> => T.TryParse(text.AsSpan(), null, out result!);

    private static bool TryUtf8ParseVia<T>(byte[] text, out T result)
        where T : IUtf8SpanParsable<T> => T.TryParse(text, null, out result!);
}
