using System.Text.Json;
using AuctionEngine.Cli.CommandLine;
using NUnit.Framework;
using Parquet;
using Parquet.Schema;

namespace AuctionEngine.Cli.Tests.Clear;

/// <summary>
/// Parquet in and out: a book read from Parquet clears as its CSV does, the table written reads back as a book, text
/// or integer columns, other columns ignored, row groups read on several threads, and bad values named by row.
/// </summary>
public sealed class ParquetTests
{
    private ClearHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new ClearHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task AParquetBookClearsAsItsCsvDoesAndRoundTrips()
    {
        string csv = _harness.File(OutputFormatTests.LargeBook(5_000, traders: true));
        string parquet = _harness.NewPath(".parquet");
        ClearRun fromCsv = ClearHarness.Run(ClearHarness.Request(csv));
        ClearRun written = ClearHarness.Run(ClearHarness.Request(csv, output: parquet));
        Assert.That(written.ExitCode, Is.EqualTo(ExitCodes.Success), written.Error);

        // The table written has every order (all fills and all rejections) with its price, so it is a book itself.
        await using (ParquetReader reader = await ParquetReader.CreateAsync(parquet))
        {
            string[] columns = [.. reader.Schema.GetDataFields().Select(f => f.Name)];
            string[] expected = ["id", "line", "side", "price", "quantity", "filled", "quote", "reason", "trader"];
            Assert.That(columns, Is.EqualTo(expected));
            long rows = reader.RowGroups.Sum(g => g.RowCount);
            Assert.That(rows, Is.EqualTo(5_000));
        }

        ClearRun fromParquet = ClearHarness.Run(ClearHarness.Request(parquet));
        Assert.That(fromParquet.ExitCode, Is.EqualTo(ExitCodes.Success), fromParquet.Error);
        JsonElement a = fromCsv.Json;
        JsonElement b = fromParquet.Json;
        Assert.That(b.GetProperty("fills").GetRawText(), Is.EqualTo(a.GetProperty("fills").GetRawText()));
        Assert.That(b.GetProperty("volume").GetRawText(), Is.EqualTo(a.GetProperty("volume").GetRawText()));

        // A Parquet "line" is the 1-based row: the CSV's line less its header.
        long[] csvLines = [.. a.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("line").GetInt64() - 1)];
        Assert.That(b.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("line").GetInt64()), Is.EqualTo(csvLines));
    }

    [Test]
    public async Task ParquetColumnsMayBeTextOrIntegersAndBadValuesNameTheRow()
    {
        var id = new DataField<byte[]>("ID");
        var side = new DataField<string>("side");
        var price = new DataField<string>("price", nullable: true);
        var quantity = new DataField<int>("quantity");
        var extra = new DataField<double>("ignored");
        string path = _harness.NewPath(".parquet");
        async Task Write(byte[][] ids, string[] sides, string?[] prices, int[] quantities)
        {
            await using var stream = File.Create(path);
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, side, price, quantity, extra), stream);
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            await group.WriteAsync(id, ids);
            await group.WriteAsync(side, sides);
            await group.WriteAsync(price, prices);
            await group.WriteAsync<int>(quantity, quantities.AsMemory());
            await group.WriteAsync<double>(extra, new double[ids.Length].AsMemory());
        }

        await Write([[0x61], [0x62]], ["buy", "SELL"], ["101", null], [5, 5]);
        ClearRun good = ClearHarness.Run(ClearHarness.Request(path));
        Assert.That(good.ExitCode, Is.EqualTo(ExitCodes.Success), good.Error + good.Text);
        Assert.That((good.Json.GetProperty("price").GetInt64(), good.Json.GetProperty("volume").GetInt64()), Is.EqualTo((101L, 5L)));

        await Write([[0x61], [0x62, 0xFF]], ["buy", "sell"], ["101", "99"], [5, 5]);
        Assert.That(ClearHarness.Run(ClearHarness.Request(path)).Error, Does.EndWith(", row 2, column id: invalid UTF-8.\n"));

        await Write([[0x61], [0x62]], ["buy", "sell"], ["101", "9x"], [5, 5]);
        Assert.That(ClearHarness.Run(ClearHarness.Request(path)).Error, Does.EndWith(", row 2, column price: '9x' is not an integer number of ticks or 'market'.\n"));

        await Write([[0x61], [0x62]], ["buy", "hold"], ["101", "99"], [5, 5]);
        ClearRun badSide = ClearHarness.Run(ClearHarness.Request(path));
        Assert.That((badSide.ExitCode, badSide.Error), Is.EqualTo((ExitCodes.InputError, $"auction: {path}, row 2, column side: 'hold' is neither buy nor sell.\n")));
    }

    [Test]
    public void TheParquetSampleClearsAsTheCsvSampleAndItsOtherColumnsAreIgnored()
    {
        string data = Path.Combine(TestContext.CurrentContext.TestDirectory, "Data");
        JsonElement csv = ClearHarness.Run(ClearHarness.Request(Path.Combine(data, "book.csv"))).Json;
        ClearRun parquet = ClearHarness.Run(ClearHarness.Request(Path.Combine(data, "book.parquet")));
        Assert.That(parquet.ExitCode, Is.EqualTo(ExitCodes.Success), parquet.Error);
        Assert.That(parquet.Json.GetProperty("fills").GetRawText(), Is.EqualTo(csv.GetProperty("fills").GetRawText()));
        Assert.That(parquet.Json.GetProperty("volume").GetInt64(), Is.EqualTo(51));
    }

    [Test]
    public async Task ParquetRowGroupsReadInSlicesGiveTheBookAndItsFirstErrorOnEveryThreadCount()
    {
        // Three row groups of 40,000 rows, so each is checked in slices; bad rows late in the second group and early
        // in the third, so a slice other than the first finds the file's first error.
        const int GroupRows = 40_000;
        var id = new DataField<string>("id");
        var side = new DataField<string>("side");
        var price = new DataField<long?>("price");
        var quantity = new DataField<long>("quantity");
        async Task<string> Write(Func<int, string> sideOf)
        {
            string path = _harness.NewPath(".parquet");
            await using var stream = File.Create(path);
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, side, price, quantity), stream);
            for (int g = 0; g < 3; g++)
            {
                int[] rows = [.. Enumerable.Range(g * GroupRows, GroupRows)];
                using ParquetRowGroupWriter group = writer.CreateRowGroup();
                await group.WriteAsync(id, rows.Select(r => $"o{r}").ToArray());
                await group.WriteAsync(side, rows.Select(sideOf).ToArray());
                await group.WriteAsync<long>(price, rows.Select(r => r % 97 == 0 ? (long?)null : 90 + (r % 21)).ToArray().AsMemory());
                await group.WriteAsync<long>(quantity, rows.Select(r => (long)(r % 13)).ToArray().AsMemory());
            }

            return path;
        }

        string good = await Write(r => r % 2 == 0 ? "buy" : "sell");
        byte[] one = ClearHarness.Run(ClearHarness.Request(good)).Output;
        Assert.That(ClearHarness.Run(ClearHarness.Request(good, threads: 3)).Output, Is.EqualTo(one));
        Assert.That(JsonDocument.Parse(one).RootElement.GetProperty("fills").GetArrayLength(), Is.GreaterThan(100_000));

        string bad = await Write(r => r is 79_990 or 80_005 or 119_000 ? "hold" : r % 2 == 0 ? "buy" : "sell");
        foreach (int threads in new[] { 1, 2, 4 })
        {
            ClearRun run = ClearHarness.Run(ClearHarness.Request(bad, threads: threads));
            Assert.That(run.Error, Is.EqualTo($"auction: {bad}, row 79991, column side: 'hold' is neither buy nor sell.\n"), $"{threads} threads");
        }
    }

    [Test]
    public void AFileThatIsNotParquetSaysSo()
    {
        ClearRun run = ClearHarness.Run(ClearHarness.Request(_harness.File("id,side,price,quantity\n", ".parquet")));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError));
        Assert.That(run.Error, Does.Contain("is not a Parquet file"));
    }
}
