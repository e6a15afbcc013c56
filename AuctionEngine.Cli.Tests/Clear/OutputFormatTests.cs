using System.Globalization;
using System.Text;
using System.Text.Json;
using AuctionEngine.Cli.Clear;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Identity;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests.Clear;

/// <summary>
/// The outputs: JSON that is byte for byte what one <see cref="Utf8JsonWriter"/> writes, on any number of threads;
/// the fills selection; traders echoed; the CSV table; exit codes, messages and progress.
/// </summary>
public sealed class OutputFormatTests
{
    private ClearHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new ClearHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public void ChunkedJsonIsExactlyWhatOneWriterWritesOnEveryThreadCount([Values] bool pretty)
    {
        string path = _harness.File(LargeBook(40_000, traders: true));
        ClearRun one = ClearHarness.Run(ClearHarness.Request(path, threads: 1, pretty: pretty));
        Assert.That(one.ExitCode, Is.EqualTo(ExitCodes.Success), one.Error);
        Assert.That(one.Output, Is.EqualTo(Rewritten(one.Output, pretty)));
        Assert.That(one.Json.GetProperty("fills").GetArrayLength(), Is.GreaterThan(2 * Output.ClearingJsonWriter.ChunkOrders));
        foreach (int threads in new[] { 2, 3, 16 })
        {
            Assert.That(ClearHarness.Run(ClearHarness.Request(path, threads: threads, pretty: pretty)).Output, Is.EqualTo(one.Output), $"{threads} threads");
        }
    }

    [Test]
    public void ChunksWithNothingToListAddNothing([Values] bool pretty, [Values(1, 3)] int threads)
    {
        // Three chunks; only the middle one holds rejections, and only the first and last hold traded orders.
        int chunk = Output.ClearingJsonWriter.ChunkOrders;
        var text = new StringBuilder("id,side,price,quantity\n");
        for (int i = 0; i < (2 * chunk) + 10; i++)
        {
            bool middle = i >= chunk && i < 2 * chunk;
            string row = middle
                ? (i % 1000 == 0 ? $"m{i},buy,100,0\n" : $"m{i},buy,50,1\n")
                : $"o{i},{(i % 2 == 0 ? "buy" : "sell")},100,1\n";
            text.Append(row);
        }

        string path = _harness.File(text.ToString());
        ClearRun run = ClearHarness.Run(ClearHarness.Request(path, threads, FillsOutput.Traded, pretty));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Is.EqualTo(Rewritten(run.Output, pretty)));
        JsonElement json = run.Json;
        Assert.That(json.GetProperty("fills").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).Where(id => !id.StartsWith('o')), Is.Empty);
        Assert.That(json.GetProperty("fills").GetArrayLength(), Is.GreaterThan(0));
        Assert.That(CsvReaderTests.Rejections(run).Select(r => r.Id), Is.EqualTo(Enumerable.Range(chunk, chunk).Where(i => i % 1000 == 0).Select(i => $"m{i}")));
    }

    [Test]
    public void CompactAndPrettyHoldTheSameJson()
    {
        string path = _harness.File(LargeBook(1_000, traders: false));
        ClearRun compact = ClearHarness.Run(ClearHarness.Request(path));
        ClearRun pretty = ClearHarness.Run(ClearHarness.Request(path, pretty: true));
        Assert.That(compact.Text.TrimEnd('\n'), Does.Not.Contain("\n"));
        Assert.That(pretty.Text, Does.Contain("\n  \"fills\": [\n    {\n      \"id\": "));
        Assert.That(Rewritten(pretty.Output, pretty: false), Is.EqualTo(compact.Output));
    }

    [Test]
    public void FillsAllTradedOrNone()
    {
        string path = _harness.File(LargeBook(3_000, traders: false));
        JsonElement all = ClearHarness.Run(ClearHarness.Request(path, fills: FillsOutput.All)).Json;
        JsonElement traded = ClearHarness.Run(ClearHarness.Request(path, fills: FillsOutput.Traded)).Json;
        JsonElement none = ClearHarness.Run(ClearHarness.Request(path, fills: FillsOutput.None)).Json;

        JsonElement[] allFills = [.. all.GetProperty("fills").EnumerateArray()];
        string[] tradedIds = [.. allFills.Where(f => f.GetProperty("filled").GetInt64() > 0).Select(f => f.GetRawText())];
        Assert.That(tradedIds, Is.Not.Empty);
        Assert.That(tradedIds, Has.Length.LessThan(allFills.Length));
        Assert.That(traded.GetProperty("fills").EnumerateArray().Select(f => f.GetRawText()), Is.EqualTo(tradedIds));
        Assert.That(traded.GetProperty("filledOrders").GetInt32(), Is.EqualTo(tradedIds.Length));
        Assert.That(none.GetProperty("fills").GetArrayLength(), Is.Zero);
        foreach (JsonElement other in new[] { traded, none })
        {
            Assert.That(other.GetProperty("rejected").GetRawText(), Is.EqualTo(all.GetProperty("rejected").GetRawText()));
            Assert.That(other.GetProperty("volume").GetRawText(), Is.EqualTo(all.GetProperty("volume").GetRawText()));
        }
    }

    [Test]
    public void TheKeysAreTodaysAndTraderOnlyWhenTheInputHasOne()
    {
        JsonElement with = ClearHarness.Run(ClearHarness.Request(_harness.File("id,side,price,quantity,trader\na,buy,101,5,0x00000000000000000000000000000000000000ab\nb,sell,99,7,0x1111111111111111111111111111111111111111\nc,sell,0,1,0x1111111111111111111111111111111111111111\n"))).Json;
        JsonElement without = ClearHarness.Run(ClearHarness.Request(_harness.File("id,side,price,quantity\na,buy,101,5\nb,sell,99,7\nc,sell,0,1\n"))).Json;
        string[] keys = ["cleared", "status", "rule", "referencePrice", "price", "volume", "surplus", "surplusSide", "bestBid", "bestAsk", "filledOrders", "rationedOrders", "fills", "rejected"];
        string[] fillKeys = ["id", "side", "quantity", "filled", "quote"];
        string[] rejectionKeys = ["id", "line", "reason"];
        foreach (JsonElement json in new[] { with, without })
        {
            Assert.That(json.EnumerateObject().Select(p => p.Name), Is.EqualTo(keys));
            Assert.That(json.GetProperty("rejected")[0].EnumerateObject().Select(p => p.Name), Is.EqualTo(rejectionKeys));
        }

        Assert.That(without.GetProperty("fills")[0].EnumerateObject().Select(p => p.Name), Is.EqualTo(fillKeys));
        Assert.That(with.GetProperty("fills")[0].EnumerateObject().Select(p => p.Name), Is.EqualTo(fillKeys.Append("trader")));
        Assert.That(with.GetProperty("fills")[0].GetProperty("trader").GetString(), Is.EqualTo(Primitives.Address.Parse("0x00000000000000000000000000000000000000ab").ToString()));
        Assert.That(with.GetProperty("fills")[1].GetProperty("quote").GetInt64(), Is.EqualTo(5 * with.GetProperty("price").GetInt64()));
    }

    [Test]
    public void ACsvTableHoldsEveryListedOrderAsTheJsonDoes()
    {
        string path = _harness.File("id,side,price,quantity,trader\n\"a,1\",buy,market,5,0x1111111111111111111111111111111111111111\nb,sell,99,7,0x2222222222222222222222222222222222222222\nc,sell,99,-1,0x2222222222222222222222222222222222222222\nd,buy,90,3,0x2222222222222222222222222222222222222222\n");
        string table = _harness.NewPath(".csv");
        ClearRun run = ClearHarness.Run(ClearHarness.Request(path, output: table));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Json.TryGetProperty("fills", out _), Is.False, "standard output has the batch outcome only");
        Assert.That(run.Json.GetProperty("volume").GetInt64(), Is.EqualTo(5));
        Assert.That(File.ReadAllText(table), Is.EqualTo(
            "id,line,side,price,quantity,filled,quote,reason,trader\n" +
            "\"a,1\",2,buy,market,5,5,495,,0x1111111111111111111111111111111111111111\n" +
            "b,3,sell,99,7,5,495,,0x2222222222222222222222222222222222222222\n" +
            "c,4,sell,99,-1,0,0,quantityNotPositive,0x2222222222222222222222222222222222222222\n" +
            "d,5,buy,90,3,0,0,,0x2222222222222222222222222222222222222222\n"));

        ClearHarness.Run(ClearHarness.Request(path, output: table, fills: FillsOutput.Traded));
        string[] tradedAndRejected = ["id", "\"a", "b", "c"];
        Assert.That(File.ReadAllLines(table).Select(line => line.Split(',')[0]), Is.EqualTo(tradedAndRejected));
    }

    [Test]
    public void AJsonFileGetsWhatStandardOutputWould()
    {
        string path = _harness.File(LargeBook(500, traders: false));
        string json = _harness.NewPath(".json");
        ClearRun toFile = ClearHarness.Run(ClearHarness.Request(path, output: json, pretty: true));
        Assert.That(toFile.Output, Is.Empty);
        Assert.That(File.ReadAllBytes(json), Is.EqualTo(ClearHarness.Run(ClearHarness.Request(path, pretty: true)).Output));
    }

    [Test]
    public void AReferencePriceRequiredBatchIsWrittenThenExitsWithItsOwnCodeAndAHint()
    {
        string path = _harness.File("id,side,price,quantity\na,buy,market,5\nb,sell,market,5\n");
        ClearRun run = ClearHarness.Run(ClearHarness.Request(path, rule: Clearing.PriceRule.Xetra));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.ReferencePriceRequired));
        Assert.That(run.Json.GetProperty("status").GetString(), Is.EqualTo("referencePriceRequired"));
        Assert.That(run.Error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
        Assert.That(run.Error, Does.Contain("--reference-price"));

        ClearRun priced = ClearHarness.Run(ClearHarness.Request(path, rule: Clearing.PriceRule.Xetra, reference: 100));
        Assert.That((priced.ExitCode, priced.Json.GetProperty("price").GetInt64(), priced.Error), Is.EqualTo((ExitCodes.Success, 100L, "")));
    }

    [Test]
    public void AnUnusableOutputIsAUsageOrInputError()
    {
        string path = _harness.File("id,side,price,quantity\na,buy,101,5\n", ".csv");
        ClearRun extension = ClearHarness.Run(ClearHarness.Request(path, output: _harness.NewPath(".txt")));
        Assert.That(extension.ExitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(extension.Error, Does.Contain("must end in .json, .csv or .parquet"));

        ClearRun itself = ClearHarness.Run(ClearHarness.Request(path, output: path));
        Assert.That(itself.ExitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(itself.Error, Does.Contain("is the input file"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("id,side,price,quantity\na,buy,101,5\n"));

        ClearRun folder = ClearHarness.Run(ClearHarness.Request(path, output: Path.Combine(_harness.Folder, "no", "such", "out.json")));
        Assert.That(folder.ExitCode, Is.EqualTo(ExitCodes.InputError));
        Assert.That(folder.Error, Does.Contain("out.json: cannot be written"));
    }

    [Test]
    public void AnUnexpectedFailureIsOneLineAndExitCodeOne()
    {
        static UInt128 Broken(ReadOnlySpan<byte> id, long seed) => throw new InvalidOperationException("the hash broke");
        ClearRun run = ClearHarness.Run(ClearHarness.Request(_harness.File("id,side,price,quantity\na,buy,101,5\n")), Broken);
        Assert.That((run.ExitCode, run.Error), Is.EqualTo((1, "auction: unexpected error: InvalidOperationException: the hash broke\n")));
    }

    [Test]
    public void ProgressReportsReadingInBytesThenClearingThenWriting([Values(1, 2)] int threads)
    {
        string path = _harness.File(LargeBook(20_000, traders: false));
        var progress = new RecordingProgress();
        var seams = new ClearRunner.ClearSeams(OrderIdentity.Hash, () => Stream.Null, 4096);
        int exitCode = ClearRunner.Run(ClearHarness.Request(path, threads), TextWriter.Null, progress, seams);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(progress.Phases.Select(p => p.Description), Is.EqualTo(new[] { $"reading {Path.GetFileName(path)}", "clearing 20,000 orders", "writing standard output" }));
        Assert.That(progress.Phases.Select(p => (p.Total, p.Done, p.Ended)), Is.EqualTo(new[] { (new FileInfo(path).Length, new FileInfo(path).Length, true), (20_000L, 20_000L, true), (40_000L, 40_000L, true) }));
    }

    /// <summary>A seeded book around a price of 100: some repeated ids, some bad quantities and prices, some market orders.</summary>
    internal static string LargeBook(int orders, bool traders)
    {
        var random = new Random(orders);
        var text = new StringBuilder(traders ? "id,side,price,quantity,trader\n" : "id,side,price,quantity\n");
        for (int i = 0; i < orders; i++)
        {
            int id = random.Next(20) == 0 ? random.Next(i + 1) : i;
            string price = random.Next(30) == 0 ? "market" : random.Next(40) == 0 ? "0" : random.Next(90, 111).ToString(CultureInfo.InvariantCulture);
            int quantity = random.Next(50) == 0 ? -random.Next(3) : random.Next(1, 100);
            text.Append(CultureInfo.InvariantCulture, $"ord-{id},{(random.Next(2) == 0 ? "buy" : "sell")},{price},{quantity}");
            text.Append(traders ? CultureInfo.InvariantCulture.TextInfo.ToLower($",0x{random.Next():x8}{new string('0', 32)}\n") : "\n");
        }

        return text.ToString();
    }

    /// <summary>The JSON parsed and written again by one plain <see cref="Utf8JsonWriter"/>, with a final newline.</summary>
    private static byte[] Rewritten(byte[] json, bool pretty)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = pretty }))
        {
            document.WriteTo(writer);
        }

        buffer.Write("\n"u8);
        return buffer.ToArray();
    }

    private sealed class RecordingProgress : IPhaseProgress
    {
        public List<Phase> Phases { get; } = [];

        public IPhase Begin(string description, long total)
        {
            var phase = new Phase(description, total);
            Phases.Add(phase);
            return phase;
        }

        internal sealed class Phase(string description, long total) : IPhase
        {
            private long _done;

            public string Description => description;

            public long Total => total;

            public long Done => Interlocked.Read(ref _done);

            public bool Ended { get; private set; }

            public void Advance(long units) => Interlocked.Add(ref _done, units);

            public void Dispose() => Ended = true;
        }
    }
}
