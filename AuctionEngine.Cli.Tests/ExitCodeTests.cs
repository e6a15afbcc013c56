using System.Text.Json;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests;

/// <summary>What each outcome exits with, and the one line on standard error that says why when it is not 0.</summary>
[TestFixture]
public sealed class ExitCodeTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("auction-cli-tests-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void AnUnexpectedFailureIsOneLineAndExitCodeOne()
    {
        // A closed standard output, as when the reader of a pipe has gone: nothing the user typed explains it.
        var closed = new StringWriter();
        closed.Dispose();
        using var error = new StringWriter();

        int exitCode = AuctionCli.Run(["abi"], closed, error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UnexpectedFailure));
            Assert.That(error.ToString(), Does.Match(@"^auction: unexpected failure: ObjectDisposedException: [^\n]+\n$"));
            Assert.That(error.ToString(), Does.Not.Contain(" at "));
        }
    }

    [Test]
    public void ABookOfMarketOrdersAloneNeedsAReferencePriceUnderEveryRule([Values("midpoint", "xetra", "euronext")] string rule)
    {
        string json = Path.Combine(_directory, "out.json");
        CliRun run = CliRun.Of("clear", CliRun.Sample("market-only.csv"), "--rule", rule, "--output", json);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.ReferencePriceRequired));
            Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(run.Error, Does.StartWith("auction clear: the batch needs a reference price: its orders are all market orders").And.Contain("pass --reference-price TICKS"));
            Assert.That(Status(json), Is.EqualTo("referencePriceRequired"));
        }
    }

    [Test]
    public void WithAReferencePriceTheSameBookClearsAtIt()
    {
        string json = Path.Combine(_directory, "out.json");
        CliRun run = CliRun.Of("clear", CliRun.Sample("market-only.csv"), "--reference-price", "100", "--output", json);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(run.Error, Is.Empty);
            Assert.That(Status(json), Is.EqualTo("cleared"));
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
            Assert.That(document.RootElement.GetProperty("price").GetInt64(), Is.EqualTo(100));
        }
    }

    /// <summary>A buy at 101 and a sell at 99 of equal size tie at both limits with no surplus: only R or the midpoint decides.</summary>
    [TestCase("xetra", null, ExitCodes.ReferencePriceRequired, "referencePriceRequired")]
    [TestCase("euronext", null, ExitCodes.ReferencePriceRequired, "referencePriceRequired")]
    [TestCase("midpoint", null, ExitCodes.Success, "cleared")]
    [TestCase("xetra", "100", ExitCodes.Success, "cleared")]
    [TestCase("euronext", "100", ExitCodes.Success, "cleared")]
    public void ATieOnlyAReferencePriceBreaksExitsWithThreeUnderXetraAndEuronext(string rule, string? referencePrice, int exitCode, string status)
    {
        string book = Path.Combine(_directory, "tie.csv");
        File.WriteAllText(book, "id,side,price,quantity\nb,buy,101,10\ns,sell,99,10\n");
        string json = Path.Combine(_directory, "out.json");
        string[] reference = referencePrice is null ? [] : ["--reference-price", referencePrice];

        CliRun run = CliRun.Of(["clear", book, "--rule", rule, "--output", json, .. reference]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(exitCode));
            Assert.That(Status(json), Is.EqualTo(status));
            Assert.That(run.Error, exitCode == ExitCodes.Success
                ? Is.Empty
                : Is.EqualTo($"auction clear: the batch needs a reference price: rule {rule} cannot choose among the tied prices without one; pass --reference-price TICKS (e.g. the last clearing price).\n"));
        }
    }

    [Test]
    public void AMalformedFileNamesTheLineAndExitsWithTwo()
    {
        CliRun run = CliRun.Of("clear", CliRun.Sample("malformed.csv"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError));
            Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(run.Error, Does.Contain("malformed.csv, line 5, column 3 (price): "));
        }
    }

    [Test]
    public void AMissingFileExitsWithTwo()
    {
        string missing = Path.Combine(_directory, "no-such-book.csv");
        CliRun run = CliRun.Of("clear", missing);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError));
            Assert.That(run.Error, Is.EqualTo($"auction: {missing}: no such file.\n"));
        }
    }

    [Test]
    public void TheSampleBookClears()
    {
        string json = Path.Combine(_directory, "out.json");
        CliRun run = CliRun.Of("clear", CliRun.Sample("book.csv"), "--output", json);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(Status(json), Is.EqualTo("cleared"));
        }
    }

    private static string? Status(string json)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        return document.RootElement.GetProperty("status").GetString();
    }
}
