using System.CommandLine;
using System.CommandLine.Help;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Tests.Support;
using AuctionEngine.Clearing;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests;

/// <summary>The generated help: every command, default, range and exit code, on standard output with exit code 0.</summary>
[TestFixture]
public sealed class HelpTests
{
    private static readonly Type[] IntegerTypes = [typeof(int), typeof(long), typeof(int?), typeof(long?)];

    private static IEnumerable<string> CommandNames() =>
        AuctionCli.CreateRootCommand(new CliConsole(TextWriter.Null, TextWriter.Null, false, false)).Subcommands.Select(c => c.Name);

    [Test]
    public void RootHelpListsEveryCommandAndExitCode()
    {
        CliRun run = CliRun.Of("--help");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero);
            Assert.That(run.Error, Is.Empty);
            Assert.That(run.Output, Does.Contain("auction [command] [options]"));
            foreach (string command in CommandNames())
            {
                Assert.That(run.Output, Does.Match($@"\n  {command}\b"), command);
            }

            Assert.That(run.Output, Does.Contain("Exit codes:"));
            foreach (int code in new[] { ExitCodes.Success, ExitCodes.UnexpectedFailure, ExitCodes.UsageError, ExitCodes.ReferencePriceRequired })
            {
                Assert.That(run.Output, Does.Match($@"\n  {code}  \w"), $"exit code {code}");
            }
        }
    }

    [TestCaseSource(nameof(CommandNames))]
    public void EveryOptionWithAValueStatesItsDefaultAndEveryIntegerItsRange(string commandName)
    {
        Command command = AuctionCli.CreateRootCommand(new CliConsole(TextWriter.Null, TextWriter.Null, false, false)).Subcommands.Single(c => c.Name == commandName);
        CliRun run = CliRun.Of(commandName, "--help");
        Option[] valued = [.. command.Options.Where(o => o is not HelpOption && o.ValueType != typeof(bool))];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero);
            foreach (Option option in valued)
            {
                string entry = HelpEntry(run.Output, option.Name);
                Assert.That(entry, Does.Contain("[default: ").Or.Contain("Default: "), option.Name);
                if (IntegerTypes.Contains(option.ValueType))
                {
                    Assert.That(entry, Does.Match(@"Range: -?[\d,]+ to [\d,^ −]+\."), option.Name);
                }
            }
        }
    }

    [Test]
    public void ClearHelpShowsChoicesDefaultsRangesAndItsOwnExitCode()
    {
        string help = CliRun.Of("clear", "--help").Output;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(help, Does.Contain("auction clear <FILE> [options]"));
            Assert.That(HelpEntry(help, "--rule"), Does.StartWith("--rule <midpoint|xetra|euronext>").And.EndWith("[default: midpoint]"));
            Assert.That(HelpEntry(help, "--fills"), Does.StartWith("--fills <all|traded|none>").And.EndWith("[default: all]"));
            Assert.That(HelpEntry(help, "--threads"), Does.Contain($"Range: 1 to {ClearingEngine.MaxDegreeOfParallelism}."));
            Assert.That(HelpEntry(help, "--reference-price"), Does.Contain("exits with code 3"));
            Assert.That(help, Does.Contain("--pretty").And.Contain("--output").And.Contain("--quiet"));
            Assert.That(help, Does.Match(@"\n  3  the batch needs a reference price"));
        }
    }

    [TestCase("demo")]
    [TestCase("settle")]
    [TestCase("abi")]
    public void OnlyClearHasExitCodeThree(string command) =>
        Assert.That(CliRun.Of(command, "--help").Output, Does.Contain("Exit codes:").And.Not.Match(@"\n  3  "));

    [Test]
    public void HelpForACommandIsAlsoShownWhenItsArgumentsAreWrong()
    {
        CliRun run = CliRun.Of("demo", "--orders", "0", "--help");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero);
            Assert.That(run.Output, Does.Contain("auction demo [options]"));
            Assert.That(run.Error, Is.Empty);
        }
    }

    /// <summary>An option's row in help, its wrapped lines joined: from its name to the next row.</summary>
    private static string HelpEntry(string help, string optionName)
    {
        string[] lines = help.Split('\n');
        int first = Array.FindIndex(lines, l => l.TrimStart().StartsWith(optionName + " ", StringComparison.Ordinal) || l.Contains($", {optionName} ", StringComparison.Ordinal));
        Assert.That(first, Is.Not.Negative, $"{optionName} is not in the help");
        int indent = lines[first].Length - lines[first].TrimStart().Length;
        var entry = new List<string> { lines[first].Trim() };
        for (int i = first + 1; i < lines.Length && lines[i].Length > indent + 2 && lines[i][..(indent + 2)].Trim().Length == 0; i++)
        {
            entry.Add(lines[i].Trim());
        }

        string joined = string.Join(' ', entry);
        int alias = joined.IndexOf(optionName, StringComparison.Ordinal);
        return joined[alias..];
    }
}
