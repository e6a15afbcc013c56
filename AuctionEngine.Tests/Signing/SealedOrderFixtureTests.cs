using System.Globalization;
using System.Text.Json;
using AuctionEngine.Crypto;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Tests.Signing;

/// <summary>
/// Sealed orders against ethers v6, an independent implementation: for every case in
/// <c>Fixtures/sealed-orders.json</c> (written by <c>tools/fixtures/sealed-orders.mjs</c>) the digest, the signature
/// (both RFC 6979 with low s) and the recovered address must agree byte for byte.
/// </summary>
[TestFixture]
public sealed class SealedOrderFixtureTests
{
    private static readonly JsonElement Fixture = Load();

    private static readonly Eip712Domain Domain = DomainOf(Fixture.GetProperty("domain"));

    private static IEnumerable<TestCaseData> Cases() =>
        Fixture.GetProperty("cases").EnumerateArray().Select((c, i) => new TestCaseData(c).SetArgDisplayNames($"case {i}"));

    [Test]
    public void FixtureCoversEveryKeyAndOrder() =>
        Assert.That(Fixture.GetProperty("cases").GetArrayLength(), Is.EqualTo(12));

    [Test]
    public void FixtureTypeMatchesOurTypeString()
    {
        IEnumerable<string> members = Fixture.GetProperty("types").GetProperty("SealedOrder").EnumerateArray()
            .Select(m => $"{m.GetProperty("type").GetString()} {m.GetProperty("name").GetString()}");

        Assert.That($"SealedOrder({string.Join(',', members)})", Is.EqualTo(SealedOrder.EncodedType));
    }

    [TestCaseSource(nameof(Cases))]
    public void DigestMatchesEthers(JsonElement testCase)
    {
        SealedOrder order = OrderOf(testCase.GetProperty("order"));
        var digest = new byte[32];
        order.ComputeDigest(Domain, new Keccak256(), digest);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(new Hash32(digest).ToString(), Is.EqualTo(testCase.GetProperty("digest").GetString()));
            Assert.That(order.ComputeDigest(Domain), Is.EqualTo(new Hash32(digest)));
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void RecoveryGivesEthersAddress(JsonElement testCase)
    {
        byte[] digest = Hash32.Parse(testCase.GetProperty("digest").GetString()).ToArray();
        byte[] signature = Bytes(testCase.GetProperty("signature").GetString()!);
        Address expected = Address.Parse(testCase.GetProperty("address").GetString());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Secp256k1.RecoverAddress(digest, signature, out Address signer), Is.EqualTo(SignatureStatus.Valid));
            Assert.That(signer, Is.EqualTo(expected));
            Assert.That(signer, Is.EqualTo(OrderOf(testCase.GetProperty("order")).Trader));
            Assert.That(Secp256k1.AddressFromPrivateKey(Bytes(testCase.GetProperty("privateKey").GetString()!)), Is.EqualTo(expected));
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void SignatureMatchesEthersByteForByte(JsonElement testCase)
    {
        SealedOrder order = OrderOf(testCase.GetProperty("order"));
        var digest = new byte[32];
        order.ComputeDigest(Domain, new Keccak256(), digest);
        var signature = new byte[Secp256k1.SignatureSize];
        Secp256k1.Sign(digest, Bytes(testCase.GetProperty("privateKey").GetString()!), signature);

        Assert.That("0x" + HexText.Lower(signature), Is.EqualTo(testCase.GetProperty("signature").GetString()));
    }

    private static JsonElement Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "sealed-orders.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    private static Eip712Domain DomainOf(JsonElement domain) => new(
        domain.GetProperty("name").GetString()!,
        domain.GetProperty("version").GetString()!,
        domain.GetProperty("chainId").GetUInt64(),
        Address.Parse(domain.GetProperty("verifyingContract").GetString()));

    private static SealedOrder OrderOf(JsonElement order) => new(
        Address.Parse(order.GetProperty("trader").GetString()),
        Address.Parse(order.GetProperty("market").GetString()),
        ulong.Parse(order.GetProperty("batchId").GetString()!, CultureInfo.InvariantCulture),
        (Side)order.GetProperty("side").GetByte(),
        (OrderType)order.GetProperty("orderType").GetByte(),
        long.Parse(order.GetProperty("limitPrice").GetString()!, CultureInfo.InvariantCulture),
        long.Parse(order.GetProperty("quantity").GetString()!, CultureInfo.InvariantCulture),
        UInt128.Parse(order.GetProperty("nonce").GetString()!, CultureInfo.InvariantCulture));

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.AsSpan(2));
}
