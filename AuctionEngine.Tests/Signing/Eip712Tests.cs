using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using NUnit.Framework;

namespace AuctionEngine.Tests.Signing;

/// <summary>
/// EIP-712 hashing against the specification's own example (Mail between Cow and Bob), and the word encoders.
/// </summary>
[TestFixture]
public sealed class Eip712Tests
{
    private const string PersonType = "Person(string name,address wallet)";

    // A struct's encodeType is followed by the types it references, sorted by name.
    private const string MailType = "Mail(Person from,Person to,string contents)" + PersonType;

    private static readonly Eip712Domain EtherMail = new("Ether Mail", "1", 1, Address.Parse("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"));

    [Test]
    public void ReproducesTheSpecificationsMailExample()
    {
        Hash32 from = Person("Cow", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
        Hash32 to = Person("Bob", "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB");
        Span<byte> buffer = stackalloc byte[Eip712StructEncoder.BufferSize(3)];
        var mail = new Eip712StructEncoder(buffer, Eip712.TypeHash(MailType));
        mail.AddBytes32(from);
        mail.AddBytes32(to);
        mail.AddString("Hello, Bob!");
        Hash32 mailHash = mail.Hash();

        using (Assert.EnterMultipleScope())
        {
            // The intermediate values are the ones the specification's example script (Example.js) prints.
            Assert.That(Eip712.TypeHash(MailType).ToString(), Is.EqualTo("0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2"));
            Assert.That(EtherMail.Separator.ToString(), Is.EqualTo("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f"));
            Assert.That(mailHash.ToString(), Is.EqualTo("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e"));
            Assert.That(Eip712.Digest(EtherMail.Separator, mailHash).ToString(), Is.EqualTo("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"));
        }
    }

    [Test]
    public void CowsKeySignsTheMailExampleAsTheSpecificationDoes()
    {
        // The specification's example signs with keccak256("cow") and gives v = 28 and this r and s.
        byte[] digest = Hash32.Parse("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2").ToArray();
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digest, Keccak256.HashData("cow"u8), signature);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(new Hash32(signature.AsSpan(0, 32)).ToString(), Is.EqualTo("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"));
            Assert.That(new Hash32(signature.AsSpan(32, 32)).ToString(), Is.EqualTo("0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562"));
            Assert.That(signature[64], Is.EqualTo(28));
            Assert.That(Secp256k1.TryRecoverAddress(digest, signature, out Address signer), Is.True);
            Assert.That(signer, Is.EqualTo(Address.Parse("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")));
        }
    }

    [Test]
    public void DomainKeepsItsFields()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(EtherMail.Name, Is.EqualTo("Ether Mail"));
            Assert.That(EtherMail.Version, Is.EqualTo("1"));
            Assert.That(EtherMail.ChainId, Is.EqualTo(1));
            Assert.That(EtherMail.VerifyingContract, Is.EqualTo(Address.Parse("0xcccccccccccccccccccccccccccccccccccccccc")));
            Assert.That(Eip712Domain.TypeHash.ToString(), Is.EqualTo("0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f"));
            Assert.That(() => new Eip712Domain(null!, "1", 1, Address.Zero), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => new Eip712Domain("n", null!, 1, Address.Zero), Throws.TypeOf<ArgumentNullException>());
        }
    }

    [Test]
    public void WordsAreLeftPaddedBigEndian()
    {
        var word = new byte[32];

        using (Assert.EnterMultipleScope())
        {
            Eip712.EncodeAddress(Address.Parse("0x0102030405060708090a0b0c0d0e0f1011121314"), word);
            Assert.That(new Hash32(word).ToString(), Is.EqualTo("0x0000000000000000000000000102030405060708090a0b0c0d0e0f1011121314"));
            Eip712.EncodeUInt(0x0102030405060708UL, word);
            Assert.That(new Hash32(word).ToString(), Is.EqualTo("0x0000000000000000000000000000000000000000000000000102030405060708"));
            Eip712.EncodeUInt(UInt128.MaxValue, word);
            Assert.That(new Hash32(word).ToString(), Is.EqualTo("0x00000000000000000000000000000000ffffffffffffffffffffffffffffffff"));
            Eip712.EncodeUInt(new UInt128(1, 2), word);
            Assert.That(new Hash32(word).ToString(), Is.EqualTo("0x0000000000000000000000000000000000000000000000010000000000000002"));
            Eip712.EncodeBool(true, word);
            Assert.That(new Hash32(word).ToString(), Is.EqualTo("0x0000000000000000000000000000000000000000000000000000000000000001"));
            Eip712.EncodeBool(false, word);
            Assert.That(new Hash32(word), Is.EqualTo(Hash32.Zero));
            Eip712.EncodeBytes32(EtherMail.Separator, word);
            Assert.That(new Hash32(word), Is.EqualTo(EtherMail.Separator));
        }
    }

    [Test]
    public void StringsAndBytesAreHashedAsUtf8AndRawBytes()
    {
        string longText = new('é', 300);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Eip712.HashString("abc"), Is.EqualTo(Keccak256.Hash("abc"u8)));
            Assert.That(Eip712.HashString("Grüße"), Is.EqualTo(Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes("Grüße"))));
            Assert.That(Eip712.HashString(longText), Is.EqualTo(Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(longText))));
            Assert.That(Eip712.HashBytes([1, 2, 3]), Is.EqualTo(Keccak256.Hash([1, 2, 3])));
        }
    }

    [Test]
    public void EncoderAppendsOneWordPerMember()
    {
        var buffer = new byte[Eip712StructEncoder.BufferSize(3)];
        var encoder = new Eip712StructEncoder(buffer, Hash32.Zero);
        encoder.AddBool(true);
        encoder.AddBytes([0xAB]);
        encoder.AddUInt(UInt128.One);
        byte[] encoded = encoder.Encoded.ToArray();
        var hash = new byte[32];
        encoder.Hash(new Keccak256(), hash);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(encoded, Has.Length.EqualTo(128));
            Assert.That(encoded[63], Is.EqualTo(1));
            Assert.That(new Hash32(encoded.AsSpan(64, 32)), Is.EqualTo(Keccak256.Hash([0xAB])));
            Assert.That(new Hash32(hash), Is.EqualTo(Keccak256.Hash(encoded)));
            Assert.That(() => AddOneTooMany(buffer), Throws.TypeOf<ArgumentException>());
            Assert.That(() => _ = new Eip712StructEncoder(new byte[31], Hash32.Zero), Throws.TypeOf<ArgumentException>());
        }
    }

    [Test]
    public void EncodersNeedAWholeWord()
    {
        var shortWord = new byte[31];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => Eip712.EncodeAddress(Address.Zero, shortWord), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Eip712.EncodeUInt(1UL, shortWord), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Eip712.EncodeUInt(UInt128.One, shortWord), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Eip712.EncodeBool(true, shortWord), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Eip712.EncodeBytes32(Hash32.Zero, shortWord), Throws.TypeOf<ArgumentException>());
            Assert.That(() => Eip712.Digest(new Keccak256(), Hash32.Zero, Hash32.Zero, shortWord), Throws.TypeOf<ArgumentException>());
        }
    }

    private static void AddOneTooMany(byte[] buffer)
    {
        var encoder = new Eip712StructEncoder(buffer, Hash32.Zero);
        for (int i = 0; i < 4; i++)
        {
            encoder.AddUInt(1UL);
        }
    }

    private static Hash32 Person(string name, string wallet)
    {
        Span<byte> buffer = stackalloc byte[Eip712StructEncoder.BufferSize(2)];
        var person = new Eip712StructEncoder(buffer, Eip712.TypeHash(PersonType));
        person.AddString(name);
        person.AddAddress(Address.Parse(wallet));
        return person.Hash();
    }
}
