using System.CommandLine;
using System.Reflection;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Tests.Support;
using AuctionEngine.Clearing;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests;

/// <summary><c>--version</c>, and the <c>[suggest]</c> directive that shell completion calls.</summary>
[TestFixture]
public sealed class VersionAndCompletionTests
{
    [Test]
    public void VersionIsTheEngines()
    {
        string version = typeof(ClearingEngine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        CliRun run = CliRun.Of("--version");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(run.Output, Is.EqualTo($"auction {version}\n"));
        }
    }

    /// <summary>The shell hands over the whole line and the cursor position; the program's own name starts the line.</summary>
    [TestCase("{0} cl", new[] { "clear" })]
    [TestCase("{0} clear book.csv --ru", new[] { "--rule" })]
    [TestCase("{0} clear book.csv --rule ", new[] { "euronext", "midpoint", "xetra" })]
    [TestCase("{0} clear book.csv --fills ", new[] { "all", "none", "traded" })]
    [TestCase("{0} demo --pla", new[] { "--plain" })]
    public void CompletionsComeFromTheCommandDefinitions(string line, string[] expected)
    {
        // In a test the program's name is the test host's, not "auction".
        string name = AuctionCli.CreateRootCommand(new CliConsole(TextWriter.Null, TextWriter.Null, false, false)).Name;
        string text = string.Format(System.Globalization.CultureInfo.InvariantCulture, line, name);

        CliRun run = CliRun.Of($"[suggest:{text.Length}]", text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.SupersetOf(expected));
        }
    }

    [Test]
    public void EveryCommandIsOffered()
    {
        RootCommand root = AuctionCli.CreateRootCommand(new CliConsole(TextWriter.Null, TextWriter.Null, false, false));
        string text = root.Name + " ";

        CliRun run = CliRun.Of($"[suggest:{text.Length}]", text);

        Assert.That(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.SupersetOf(root.Subcommands.Select(c => c.Name)));
    }
}
