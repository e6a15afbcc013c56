using System.Globalization;
using System.Text;
using System.Text.Json;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Csv;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests.Clear;

/// <summary>
/// The CSV reader at every edge a real file has: quoting, line ends, byte order marks, blank lines, header order,
/// size limits, invalid UTF-8, and messages that name the line and column.
/// </summary>
public sealed class CsvReaderTests
{
    private ClearHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new ClearHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public void QuotedFieldsMayHoldCommasAndDoubledQuotes()
    {
        ClearRun run = Clear("id,side,price,quantity\n\"a,1\",buy,100,5\n\"say \"\"hi\"\"\" , sell , 100 , 5\n  \"\"\"\" ,\"buy\",\"market\",\"1\"\n");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        string[] expected = ["a,1", "say \"hi\"", "\""];
        Assert.That(Ids(run, "fills"), Is.EqualTo(expected));
    }

    [Test]
    public void AQuotedIdIsTheSameIdAsItsUnquotedText()
    {
        ClearRun run = Clear("id,side,price,quantity\n\"x\",buy,100,5\nx,sell,100,5\n");
        Assert.That(Rejections(run), Is.EqualTo(new[] { ("x", 2L, "duplicateId"), ("x", 3L, "duplicateId") }));
    }

    [TestCase("id,side,price,quantity\n\"open,buy,100,5\n", 2, 1, "a quoted field is not closed on its line")]
    [TestCase("id,side,price,quantity\n\"a\"b,buy,100,5\n", 2, 1, "text after a closing quote")]
    [TestCase("id,side,price,quantity\na,b\"uy,100,5\n", 2, 2, "a quote inside an unquoted field")]
    [TestCase("id,side,price,quantity\n\"a\nb\",buy,100,5\n", 2, 1, "not closed on its line")]
    public void MalformedQuotingNamesTheLineAndColumn(string text, int line, int column, string problem)
    {
        ClearRun run = Clear(text);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError));
        Assert.That(run.Error, Does.Contain($", line {line}, column {column} (").And.Contain(problem));
    }

    [Test]
    public void CrLfLineEndsReadLikeLf()
    {
        ClearRun lf = Clear("id,side,price,quantity\na,buy,101,5\nb,sell,99,5\n");
        ClearRun crlf = Clear("id,side,price,quantity\r\na,buy,101,5\r\nb,sell,99,5\r\n");
        Assert.That(crlf.ExitCode, Is.EqualTo(ExitCodes.Success), crlf.Error);
        Assert.That(crlf.Text, Is.EqualTo(lf.Text));
    }

    [Test]
    public void AByteOrderMarkIsSkippedAndUtf16IsRefused()
    {
        byte[] text = Encoding.UTF8.GetBytes("id,side,price,quantity\na,buy,101,5\nb,sell,99,5\n");
        ClearRun plain = ClearHarness.Run(ClearHarness.Request(_harness.File(text)));
        ClearRun marked = ClearHarness.Run(ClearHarness.Request(_harness.File([0xEF, 0xBB, 0xBF, .. text])));
        Assert.That(marked.Text, Is.EqualTo(plain.Text));

        ClearRun utf16 = ClearHarness.Run(ClearHarness.Request(_harness.File(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("id,side,price,quantity\n")).ToArray())));
        Assert.That(utf16.ExitCode, Is.EqualTo(ExitCodes.InputError));
        Assert.That(utf16.Error, Does.Contain("is UTF-16; save it as UTF-8"));
    }

    [Test]
    public void BlankLinesAreSkippedAndLinesStillCount()
    {
        ClearRun run = Clear("\n  \nid,side,price,quantity\n\n\t\na,buy,101,0\n \r\nb,sell,99,5\nc,sell,99,-1");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(Rejections(run), Is.EqualTo(new[] { ("a", 6L, "quantityNotPositive"), ("c", 9L, "quantityNotPositive") }));
    }

    [Test]
    public void TheHeaderMayNameColumnsInAnyOrderAndCase()
    {
        ClearRun standard = Clear("id,side,price,quantity\na,buy,101,5\nb,sell,99,5\n");
        ClearRun shuffled = Clear(" QUANTITY ,Price,\"SIDE\",Id\n5,101,buy,a\n5,99,sell,b\n");
        Assert.That(shuffled.Text, Is.EqualTo(standard.Text));
    }

    [TestCase("", 1, "the file has no header row")]
    [TestCase("\n\n", 2, "the file has no header row")]
    [TestCase("id,side,price\n", 1, "the header lacks the column quantity.")]
    [TestCase("id,side\n", 1, "the header lacks the columns price, quantity.")]
    [TestCase("id,side,price,quantity,colour\n", 1, "column 5 of the header: unknown column 'colour'")]
    [TestCase("id,side,price,quantity,ID\n", 1, "column 5 of the header: column 'ID' appears twice")]
    public void AnUnusableHeaderIsNamed(string text, int line, string problem)
    {
        ClearRun run = Clear(text);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError));
        Assert.That(run.Error, Does.Contain(text.Length == 0 ? problem : $"line {line}: {problem}"));
    }

    [TestCase("a,buy,101\n", 0, "expected 4 fields as in the header, found 3")]
    [TestCase("a,buy,101,5,6\n", 0, "expected 4 fields as in the header, found 5")]
    [TestCase(",buy,101,5\n", 1, "the id is empty")]
    [TestCase("\"\",buy,101,5\n", 1, "the id is empty")]
    [TestCase("a,bid,101,5\n", 2, "'bid' is neither buy nor sell")]
    [TestCase("a,buy,1O1,5\n", 3, "'1O1' is not an integer number of ticks or 'market'")]
    [TestCase("a,buy,9223372036854775808,5\n", 3, "9223372036854775808 is outside the 64-bit integer range")]
    [TestCase("a,buy,101,99999999999999999999999\n", 4, "99999999999999999999999 is outside the 64-bit integer range")]
    [TestCase("a,buy,101,5x\n", 4, "'5x' is not an integer number of lots")]
    [TestCase("a,buy,101,\n", 4, "'' is not an integer number of lots")]
    [TestCase("a,buy,101,+\n", 4, "'+' is not an integer number of lots")]
    public void AnUnreadableRowNamesItsLineAndColumn(string row, int column, string problem)
    {
        ClearRun run = Clear("id,side,price,quantity\nok,sell,99,5\n" + row);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError));
        string[] names = ["", "id", "side", "price", "quantity"];
        string place = column == 0 ? "line 3: " : $"line 3, column {column} ({names[column]}): ";
        Assert.That(run.Error, Does.StartWith("auction: ").And.Contain(place + problem));
        Assert.That(run.Error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), "one line, never a stack trace");
    }

    [Test]
    public void IntegersAtTheEdgesOfTheRangeAreRead()
    {
        ClearRun run = Clear("id,side,price,quantity\na,buy,9223372036854775807,5\nb,sell,-9223372036854775808,5\nc,buy,+7,0\nd,sell,-0,1\n");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(Rejections(run), Is.EqualTo(new[] { ("b", 3L, "priceNotPositive"), ("c", 4L, "quantityNotPositive"), ("d", 5L, "priceNotPositive") }));
        JsonElement fill = run.Json.GetProperty("fills")[0];
        Assert.That((fill.GetProperty("id").GetString(), fill.GetProperty("quantity").GetInt64()), Is.EqualTo(("a", 5L)));
    }

    [Test]
    public void ANegativeQuantityOrAZeroPriceIsARejectionWithItsLineNotAnError()
    {
        ClearRun run = Clear("id,side,price,quantity\na,buy,101,-5\nb,sell,0,5\nc,buy,101,5\nd,sell,99,5\n");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(Rejections(run), Is.EqualTo(new[] { ("a", 2L, "quantityNotPositive"), ("b", 3L, "priceNotPositive") }));
        Assert.That(run.Json.GetProperty("volume").GetInt64(), Is.EqualTo(5));
    }

    [Test]
    public void LinesAndIdsHaveSizeLimits()
    {
        string longestId = new('i', CsvLimits.MaxIdBytes);
        ClearRun atLimit = Clear($"id,side,price,quantity\n{longestId},buy,101,5\n");
        Assert.That(atLimit.ExitCode, Is.EqualTo(ExitCodes.Success), atLimit.Error);
        Assert.That(Ids(atLimit, "fills"), Is.EqualTo(new[] { longestId }));

        ClearRun overLimit = Clear($"id,side,price,quantity\n{longestId}i,buy,101,5\n");
        Assert.That(overLimit.Error, Does.Contain($"line 2, column 1 (id): the id is {CsvLimits.MaxIdBytes + 1} bytes long; at most {CsvLimits.MaxIdBytes}"));

        // The quotes and doubled quotes of a quoted id do not count; its content does.
        string quoted = "\"" + new string('"', 2 * CsvLimits.MaxIdBytes) + "\"";
        ClearRun quotedAtLimit = Clear($"id,side,price,quantity\n{quoted},buy,101,5\n");
        Assert.That(quotedAtLimit.ExitCode, Is.EqualTo(ExitCodes.Success), quotedAtLimit.Error);

        string padding = new(' ', CsvLimits.MaxLineBytes - "a,buy,101,5".Length);
        ClearRun longestLine = Clear($"id,side,price,quantity\na,buy,101,5{padding}\r\n");
        Assert.That(longestLine.ExitCode, Is.EqualTo(ExitCodes.Success), longestLine.Error);

        ClearRun tooLong = Clear($"id,side,price,quantity\nb,sell,99,5\na,buy,101,5 {padding}\nc,sell,99,5\n");
        Assert.That(tooLong.Error, Does.Contain($"line 3: the line is longer than {CsvLimits.MaxLineBytes} bytes"));

        ClearRun endlessLastLine = Clear($"id,side,price,quantity\na,buy,101,5 {padding}");
        Assert.That(endlessLastLine.Error, Does.Contain($"line 2: the line is longer than {CsvLimits.MaxLineBytes} bytes"));

        ClearRun endlessHeader = Clear($"id,side,price,quantity {padding}\n");
        Assert.That(endlessHeader.Error, Does.Contain($"line 1: the line is longer than {CsvLimits.MaxLineBytes} bytes"));
    }

    [TestCase(new byte[] { 0xFF }, "0xFF")]
    [TestCase(new byte[] { 0xC3 }, "0xC3")]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 }, "0xED")]
    [TestCase(new byte[] { 0xC0, 0xAF }, "0xC0")]
    public void InvalidUtf8IsAnErrorNeverAReplacementCharacter(byte[] bad, string shown)
    {
        byte[] file = [.. "id,side,price,quantity\nab"u8, .. bad, .. ",buy,101,5\na"u8, .. bad, .. "b,sell,99,5\n"u8];
        ClearRun run = ClearHarness.Run(ClearHarness.Request(_harness.File(file)));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError));
        Assert.That(run.Error, Does.Contain($"line 2, column 1 (id): invalid UTF-8: byte {shown} at byte 3 of the line"));
    }

    [Test]
    public void ValidUtf8IdsAreKeptAsWritten()
    {
        ClearRun run = Clear("id,side,price,quantity\nordre-é,buy,101,5\n注文,sell,99,5\n🙂,sell,99,1\n");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        string[] expected = ["ordre-é", "注文", "🙂"];
        Assert.That(Ids(run, "fills"), Is.EqualTo(expected));
    }

    [Test]
    public void InvalidUtf8OutsideTheIdNamesItsColumn()
    {
        byte[] file = [.. "id,side,price,quantity,trader\na,buy,101,5,0x"u8, 0xFE, .. "\n"u8];
        ClearRun run = ClearHarness.Run(ClearHarness.Request(_harness.File(file)));
        Assert.That(run.Error, Does.Contain("line 2, column 5 (trader): invalid UTF-8: byte 0xFE"));
    }

    [TestCase("0x12")]
    [TestCase("1111111111111111111111111111111111111111")]
    [TestCase("0x111111111111111111111111111111111111111g")]
    [TestCase("")]
    public void ATraderMustBeAnAddress(string trader)
    {
        ClearRun run = Clear($"id,side,price,quantity,trader\na,buy,101,5,{trader}\n");
        Assert.That(run.Error, Does.Contain($"line 2, column 5 (trader): '{trader}' is not an address"));
    }

    [Test]
    public void TheFirstErrorInTheFileIsReportedWhateverTheThreadsAndCuts()
    {
        var text = new StringBuilder("id,side,price,quantity\n");
        for (int i = 0; i < 3000; i++)
        {
            text.Append(i is 1234 or 2345 ? $"o{i},buy,oops,5\n" : $"o{i},buy,{100 + (i % 7)},5\n");
        }

        string path = _harness.File(text.ToString());
        foreach (int threads in new[] { 1, 2, 3, 8 })
        {
            foreach (int rangeBytes in new[] { 7, 64, 1000, 1 << 20 })
            {
                ClearRun run = ClearHarness.Run(ClearHarness.Request(path, threads), rangeBytes: rangeBytes);
                Assert.That(run.Error, Does.Contain("line 1236, column 3 (price): 'oops'"), $"{threads} threads, ranges of {rangeBytes} bytes");
            }
        }
    }

    [Test]
    public void TheSamplesKeepTheirBehaviour()
    {
        string data = Path.Combine(TestContext.CurrentContext.TestDirectory, "Data");
        ClearRun book = ClearHarness.Run(ClearHarness.Request(Path.Combine(data, "book.csv")));
        Assert.That(book.ExitCode, Is.EqualTo(ExitCodes.Success), book.Error);
        JsonElement json = book.Json;
        Assert.That((json.GetProperty("price").GetInt64(), json.GetProperty("volume").GetInt64()), Is.EqualTo((101L, 51L)));
        Assert.That(Rejections(book), Is.EqualTo(new[] { ("b09", 17L, "quantityNotPositive"), ("s08", 18L, "duplicateId"), ("s08", 19L, "duplicateId") }));

        ClearRun malformed = ClearHarness.Run(ClearHarness.Request(Path.Combine(data, "malformed.csv")));
        Assert.That(malformed.ExitCode, Is.EqualTo(ExitCodes.InputError));
        Assert.That(malformed.Output, Is.Empty);
        Assert.That(malformed.Error, Does.EndWith("malformed.csv, line 5, column 3 (price): '1O1' is not an integer number of ticks or 'market'.\n"));
    }

    [Test]
    public void AMissingFileOrADirectoryIsAnInputError()
    {
        ClearRun missing = ClearHarness.Run(ClearHarness.Request(Path.Combine(_harness.Folder, "absent.csv")));
        Assert.That((missing.ExitCode, missing.Error), Is.EqualTo((ExitCodes.InputError, $"auction: {Path.Combine(_harness.Folder, "absent.csv")}: no such file.\n")));

        ClearRun directory = ClearHarness.Run(ClearHarness.Request(_harness.Folder));
        Assert.That(directory.ExitCode, Is.EqualTo(ExitCodes.InputError));
        Assert.That(directory.Error, Does.Contain("is a directory"));
    }

    [Test]
    public void AFileChangedWhileItIsClearedIsAnInputErrorNeverAWrongId([Values(1, 2)] int threads)
    {
        // Four chunks: on two threads the last is formatted beside the third, on a thread of the writer's own.
        int orders = 4 * Output.ClearingJsonWriter.ChunkOrders;
        var text = new StringBuilder("id,side,price,quantity\n");
        for (int i = 0; i < orders; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"id{i:D6},{(i % 2 == 0 ? "buy" : "sell")},100,1\n");
        }

        string path = _harness.File(text.ToString());
        int calls = 0;
        UInt128 RewritingTheFileOnceReadAsItIsWritten(ReadOnlySpan<byte> id, long seed)
        {
            if (Interlocked.Increment(ref calls) == orders + 1)
            {
                // The book is read; an id in the last chunk changes on disk, its length kept, as a writer that takes
                // no .NET share lock would do it.
                using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                file.Seek(-"id000000,sell,100,1\n".Length + 2, SeekOrigin.End);
                file.Write("XX"u8);
            }

            return Identity.OrderIdentity.Hash(id, seed);
        }

        ClearRun run = ClearHarness.Run(ClearHarness.Request(path, threads), RewritingTheFileOnceReadAsItIsWritten);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError));
        Assert.That(run.Error, Is.EqualTo($"auction: {path}: changed while it was being cleared; nothing written from it can be trusted.\n"));
    }

    [Test]
    public void AHeaderOnlyFileIsAnEmptyBatch()
    {
        ClearRun run = Clear("id,side,price,quantity\n");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Json.GetProperty("status").GetString(), Is.EqualTo("nothingExecutable"));
    }

    internal static string[] Ids(ClearRun run, string array) =>
        [.. run.Json.GetProperty(array).EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];

    internal static (string Id, long Line, string Reason)[] Rejections(ClearRun run) =>
        [.. run.Json.GetProperty("rejected").EnumerateArray().Select(e => (e.GetProperty("id").GetString()!, e.GetProperty("line").GetInt64(), e.GetProperty("reason").GetString()!))];

    private ClearRun Clear(string text) => ClearHarness.Run(ClearHarness.Request(_harness.File(text)));
}
