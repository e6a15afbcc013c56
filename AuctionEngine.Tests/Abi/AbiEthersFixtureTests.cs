using System.Text.Json;
using System.Text.Json.Nodes;
using AuctionEngine.Abi;
using NUnit.Framework;

namespace AuctionEngine.Tests.Abi;

/// <summary>
/// The encoder and decoder against ethers v6 <c>AbiCoder</c>, an independent implementation: for every case in
/// <c>Fixtures/abi-ethers.json</c> (written by <c>tools/abi-crosscheck/abi.mjs fixture</c>) our encoding of the values
/// equals ethers' byte for byte, and our decoding of ethers' bytes gives the values back.
/// </summary>
[TestFixture]
public sealed class AbiEthersFixtureTests
{
    /// <summary>When set, <see cref="ExportOurEncodingsForEthers"/> writes our encodings there for <c>abi.mjs check</c>.</summary>
    public const string ExportVariable = "ABI_CROSSCHECK_OUT";

    private static readonly JsonElement Fixture = Load();

    private static IEnumerable<TestCaseData> Cases() =>
        Fixture.GetProperty("cases").EnumerateArray().Select((c, i) => new TestCaseData(c).SetArgDisplayNames($"case {i}"));

    [Test]
    public void FixtureCoversEveryTypeKind()
    {
        var kinds = new HashSet<AbiTypeKind>();
        foreach (JsonElement testCase in Fixture.GetProperty("cases").EnumerateArray())
        {
            Collect(AbiJson.Parameters(testCase).Type, kinds);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Fixture.GetProperty("cases").GetArrayLength(), Is.GreaterThanOrEqualTo(300));
            Assert.That(kinds, Is.EquivalentTo(Enum.GetValues<AbiTypeKind>()));
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void OurEncodingEqualsEthers(JsonElement testCase)
    {
        (AbiType type, AbiValue value) = AbiJson.Parameters(testCase);

        Assert.That(AbiJson.Hex(AbiEncoder.Encode(type, value)), Is.EqualTo(testCase.GetProperty("hex").GetString()));
    }

    [TestCaseSource(nameof(Cases))]
    public void OurDecodingOfEthersGivesTheValues(JsonElement testCase)
    {
        (AbiType type, AbiValue value) = AbiJson.Parameters(testCase);

        Assert.That(AbiDecoder.Decode(type, AbiJson.Bytes(testCase.GetProperty("hex").GetString()!)), Is.EqualTo(value));
    }

    /// <summary>
    /// Writes our own encodings of the fixture's values, so CI can have ethers decode them live
    /// (<c>node tools/abi-crosscheck/abi.mjs check FILE</c>); skipped unless <see cref="ExportVariable"/> names the file.
    /// </summary>
    [Test]
    public void ExportOurEncodingsForEthers()
    {
        string? path = Environment.GetEnvironmentVariable(ExportVariable);
        if (string.IsNullOrEmpty(path))
        {
            // The console logger prints an ignored test's reason only at detailed verbosity, but a test's error
            // output at every verbosity: without this line `dotnet test` would say "Skipped" and never why.
            string reason = $"runs only when {ExportVariable} names a file to export our encodings to, as .ci/run does for tools/abi-crosscheck";
            TestContext.Error.WriteLine($"{nameof(ExportOurEncodingsForEthers)} skipped: it {reason}.");
            Assert.Ignore($"It {reason}.");
        }

        var cases = new JsonArray();
        foreach (JsonElement testCase in Fixture.GetProperty("cases").EnumerateArray())
        {
            (AbiType type, AbiValue value) = AbiJson.Parameters(testCase);
            cases.Add(new JsonObject
            {
                ["types"] = JsonNode.Parse(testCase.GetProperty("types").GetRawText()),
                ["values"] = AbiJson.Write(value),
                ["hex"] = AbiJson.Hex(AbiEncoder.Encode(type, value)),
            });
        }

        File.WriteAllText(path, new JsonObject { ["cases"] = cases }.ToJsonString());
        Assert.That(new FileInfo(path).Length, Is.Positive);
    }

    private static void Collect(AbiType type, HashSet<AbiTypeKind> kinds)
    {
        kinds.Add(type.Kind);
        if (type.ElementType is not null)
        {
            Collect(type.ElementType, kinds);
        }

        foreach (AbiType component in type.Components)
        {
            Collect(component, kinds);
        }
    }

    private static JsonElement Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "abi-ethers.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
