using System.Globalization;
using System.Text.Json;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using NUnit.Framework;

namespace AuctionEngine.Tests.Threshold;

/// <summary>
/// Signed keyper shares against ethers v6, an independent implementation of what a keyper in another language does:
/// for every sharing in <c>Fixtures/keyper-shares.json</c> (written by <c>tools/fixtures/keyper-shares.mjs</c>) the
/// commitments, sharing hash and share values, and for every case the EIP-712 digest and the signature (RFC 6979,
/// low s), must agree byte for byte, and the opener must accept ethers' signatures.
/// </summary>
[TestFixture]
public sealed class KeyperShareFixtureTests
{
    /// <summary>Two batches for each keyper: three keypers of the 2-of-3 sharing, two of the 1-of-2.</summary>
    private static readonly int[] CasesPerSharing = [6, 4];

    private static readonly JsonElement Fixture = Load();

    private static readonly Eip712Domain Domain = new(
        Fixture.GetProperty("domain").GetProperty("name").GetString()!,
        Fixture.GetProperty("domain").GetProperty("version").GetString()!,
        Fixture.GetProperty("domain").GetProperty("chainId").GetUInt64(),
        Address.Parse(Fixture.GetProperty("domain").GetProperty("verifyingContract").GetString()));

    private static IEnumerable<TestCaseData> Sharings() =>
        Fixture.GetProperty("sharings").EnumerateArray().Select(s => new TestCaseData(s).SetArgDisplayNames(s.GetProperty("name").GetString()!));

    private static IEnumerable<TestCaseData> Cases() =>
        Fixture.GetProperty("sharings").EnumerateArray().SelectMany(s => s.GetProperty("cases").EnumerateArray().Select((c, i) =>
            new TestCaseData(s, c).SetArgDisplayNames($"{s.GetProperty("name").GetString()} case {i}")));

    [Test]
    public void FixtureCoversEverySharingKeyperAndBatch() =>
        Assert.That(Fixture.GetProperty("sharings").EnumerateArray().Select(s => s.GetProperty("cases").GetArrayLength()), Is.EqualTo(CasesPerSharing));

    [Test]
    public void FixtureTypeMatchesOurTypeString()
    {
        IEnumerable<string> members = Fixture.GetProperty("types").GetProperty("KeyperShare").EnumerateArray()
            .Select(m => $"{m.GetProperty("type").GetString()} {m.GetProperty("name").GetString()}");

        Assert.That($"KeyperShare({string.Join(',', members)})", Is.EqualTo(KeyperShareContext.EncodedType));
    }

    [TestCaseSource(nameof(Sharings))]
    public void CommitmentsSharingHashAndSharesMatchEthers(JsonElement sharing)
    {
        SharedBatchKey key = Deal(sharing);
        string[] commitments = [.. sharing.GetProperty("commitments").EnumerateArray().Select(c => c.GetString()!)];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Enumerable.Range(0, commitments.Length).Select(j => "0x" + HexText.Lower(key.Commitments.GetCommitment(j, compressed: false))), Is.EqualTo(commitments));
            Assert.That(key.Commitments.SharingHash.ToString(), Is.EqualTo(sharing.GetProperty("sharingHash").GetString()));
            Assert.That(key.Shares.Select(s => "0x" + HexText.Lower(s.Value.Span)), Is.EqualTo(sharing.GetProperty("shares").EnumerateArray().Select(s => s.GetString())));
        }
    }

    [Test]
    public void ForThresholdOneTheSharingHashIsTheHashOfTheBatchPublicKey()
    {
        SharedBatchKey key = Deal(Fixture.GetProperty("sharings").EnumerateArray().Single(s => s.GetProperty("coefficients").GetArrayLength() == 1));

        Assert.That(key.Commitments.SharingHash, Is.EqualTo(Keccak256.Hash(key.Commitments.GetPublicKey().AsSpan(1))));
    }

    [TestCaseSource(nameof(Cases))]
    public void DigestMatchesEthers(JsonElement sharing, JsonElement testCase)
    {
        (KeyperShareContext context, int index, byte[] value) = Message(sharing, testCase);

        Assert.That(context.ComputeDigest(index, value).ToString(), Is.EqualTo(testCase.GetProperty("digest").GetString()));
    }

    [TestCaseSource(nameof(Cases))]
    public void SignatureMatchesEthersByteForByte(JsonElement sharing, JsonElement testCase)
    {
        (KeyperShareContext context, int index, byte[] value) = Message(sharing, testCase);
        SignedKeyperShare signed = context.Sign(new KeyperShare(index, value), Bytes(testCase.GetProperty("privateKey").GetString()!));

        using (Assert.EnterMultipleScope())
        {
            Assert.That("0x" + HexText.Lower(signed.Signature.Span), Is.EqualTo(testCase.GetProperty("signature").GetString()));
            Assert.That(signed.Index, Is.EqualTo(index));
            Assert.That(signed.Value.ToArray(), Is.EqualTo(value));
        }
    }

    [TestCaseSource(nameof(Sharings))]
    public void TheOpenerAcceptsEthersSignedSharesAndOpensTheSecret(JsonElement sharing)
    {
        SharedBatchKey key = Deal(sharing);
        var keypers = new KeyperSet(sharing.GetProperty("cases").EnumerateArray().Select(c => Address.Parse(c.GetProperty("address").GetString())).Distinct());
        foreach (IGrouping<string, JsonElement> batch in sharing.GetProperty("cases").EnumerateArray().GroupBy(c => c.GetProperty("message").GetProperty("batchId").GetString()!))
        {
            KeyperShareContext context = ContextOf(key, batch.First().GetProperty("message"));
            SignedKeyperShare[] released = [.. batch.Select(c => new SignedKeyperShare(
                c.GetProperty("message").GetProperty("index").GetInt32(),
                Bytes(c.GetProperty("message").GetProperty("value").GetString()!),
                Bytes(c.GetProperty("signature").GetString()!)))];

            BatchKeyOpening opening = BatchKeyOpener.Open(context, keypers, released);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.Opened));
                Assert.That("0x" + HexText.Lower(opening.SecretKey.Span), Is.EqualTo(sharing.GetProperty("coefficients")[0].GetString()));
                Assert.That(opening.ValidKeypers, Is.EqualTo(Enumerable.Range(1, keypers.Count)));
                Assert.That(opening.BadKeypers, Is.Empty);
                Assert.That(opening.IgnoredShares, Is.Empty);
            }
        }
    }

    private static SharedBatchKey Deal(JsonElement sharing)
    {
        byte[][] coefficients = [.. sharing.GetProperty("coefficients").EnumerateArray().Select(c => Bytes(c.GetString()!))];
        return TrustedDealer.Split(coefficients[0], coefficients[1..], sharing.GetProperty("keyperCount").GetInt32());
    }

    private static KeyperShareContext ContextOf(SharedBatchKey key, JsonElement message)
    {
        var context = new KeyperShareContext(
            Domain,
            Address.Parse(message.GetProperty("market").GetString()),
            ulong.Parse(message.GetProperty("batchId").GetString()!, CultureInfo.InvariantCulture),
            key.Commitments);
        Assert.That(context.Commitments.SharingHash, Is.EqualTo(Hash32.Parse(message.GetProperty("sharingHash").GetString())));
        return context;
    }

    private static (KeyperShareContext Context, int Index, byte[] Value) Message(JsonElement sharing, JsonElement testCase)
    {
        JsonElement message = testCase.GetProperty("message");
        return (ContextOf(Deal(sharing), message), message.GetProperty("index").GetInt32(), Bytes(message.GetProperty("value").GetString()!));
    }

    private static JsonElement Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "keyper-shares.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.AsSpan(2));
}
