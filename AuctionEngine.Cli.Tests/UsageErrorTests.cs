using System.CommandLine;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Tests.Support;
using AuctionEngine.Clearing;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests;

/// <summary>
/// A command line that cannot run: exit code 2, and on standard error exactly the problem and a hint naming the help
/// to read, never the whole help; nothing on standard output.
/// </summary>
[TestFixture]
public sealed class UsageErrorTests
{
    private const long MaxSettleBlock = long.MaxValue - 24;

    [TestCase(new[] { "clear", "--rul" }, "auction clear: unknown option '--rul'; did you mean '--rule'?", "auction clear")]
    [TestCase(new[] { "clear", "book.csv", "--rul", "xetra" }, "auction clear: unknown option '--rul'; did you mean '--rule'?", "auction clear")]
    [TestCase(new[] { "clear", "book.csv", "--rule=xetra", "--refrence-price", "5" }, "auction clear: unknown option '--refrence-price'; did you mean '--reference-price'?", "auction clear")]
    [TestCase(new[] { "clear", "book.csv", "--ref", "5" }, "auction clear: unknown option '--ref'; did you mean '--reference-price'?", "auction clear")]
    [TestCase(new[] { "demo", "--sede", "1" }, "auction demo: unknown option '--sede'; did you mean '--seed'?", "auction demo")]
    [TestCase(new[] { "settle", "--jsn" }, "auction settle: unknown option '--jsn'; did you mean '--json'?", "auction settle")]
    [TestCase(new[] { "clera", "book.csv" }, "auction: unknown command 'clera'; did you mean 'clear'?", "auction")]
    [TestCase(new[] { "dmeo" }, "auction: unknown command 'dmeo'; did you mean 'demo'?", "auction")]
    public void AMistypedNameIsNamedWithWhatWasMeant(string[] args, string message, string command) =>
        AssertUsageError(CliRun.Of(args), message, command);

    [TestCase(new[] { "demo", "--x" }, "auction demo: unknown option '--x'", "auction demo")]
    [TestCase(new[] { "demo", "--colour" }, "auction demo: unknown option '--colour'", "auction demo")]
    [TestCase(new[] { "frobnicate" }, "auction: unknown command 'frobnicate'; the commands are clear, demo, settle, abi, option and simulate", "auction")]
    public void NothingIsSuggestedWhenNothingIsClose(string[] args, string message, string command) =>
        AssertUsageError(CliRun.Of(args), message, command);

    [TestCase(new string[0], "auction: a command is needed: clear, demo, settle, abi, option or simulate", "auction")]
    [TestCase(new[] { "clear" }, "auction clear: clear needs a FILE", "auction clear")]
    [TestCase(new[] { "clear", "a.csv", "b.csv" }, "auction clear: unexpected argument 'b.csv'", "auction clear")]
    [TestCase(new[] { "clear", "a.csv", "--rule" }, "auction clear: --rule needs a value", "auction clear")]
    [TestCase(new[] { "clear", "a.csv", "--rule", "vickrey" }, "auction clear: --rule must be 'midpoint', 'xetra' or 'euronext', not 'vickrey'.", "auction clear")]
    [TestCase(new[] { "clear", "a.csv", "--fills", "some" }, "auction clear: --fills must be 'all', 'traded' or 'none', not 'some'.", "auction clear")]
    [TestCase(new[] { "clear", "a.csv", "--output", "out.txt" }, "auction clear: --output must end in .json, .csv or .parquet, not 'out.txt'.", "auction clear")]
    [TestCase(new[] { "clear", "a.csv", "--reference-price", "0" }, "auction clear: --reference-price must be an integer from 1 to 9,223,372,036,854,775,807, not '0'.", "auction clear")]
    [TestCase(new[] { "demo", "--orders", "0" }, "auction demo: --orders must be an integer from 1 to 10,000,000, not '0'.", "auction demo")]
    [TestCase(new[] { "demo", "--orders", "200001" }, "auction demo: --orders must be from 1 to 200,000 for the sealed demo (up to 10,000,000 with --plain), not 200001.", "auction demo")]
    [TestCase(new[] { "demo", "--threads", "2" }, "auction demo: --threads applies to demo --plain; the sealed demo already decrypts on every core.", "auction demo")]
    [TestCase(new[] { "demo", "--seed", "forty-two" }, "auction demo: --seed must be an integer from -2,147,483,648 to 2,147,483,647, not 'forty-two'.", "auction demo")]
    [TestCase(new[] { "settle", "--block", "9223372036854775807" }, "auction settle: --block must be an integer from 1 to 9,223,372,036,854,775,783, not '9223372036854775807'.", "auction settle")]
    [TestCase(new[] { "settle", "--contract", "0x12" }, "auction settle: --contract must be an address (0x and 40 hex digits), not '0x12'.", "auction settle")]
    [TestCase(new[] { "abi", "extra" }, "auction abi: unexpected argument 'extra'", "auction abi")]
    public void AWrongValueIsNamedWithWhatIsAccepted(string[] args, string message, string command) =>
        AssertUsageError(CliRun.Of(args), message, command);

    /// <summary>Every integer option's range, at and around both ends, decided by the parser before anything runs.</summary>
    [TestCase("demo", "--orders", 1L, (long)10_000_000, "--plain")]
    [TestCase("demo", "--orders", 1L, 200_000L)]
    [TestCase("demo", "--threads", 1L, (long)ClearingEngine.MaxDegreeOfParallelism, "--plain")]
    [TestCase("demo", "--seed", (long)int.MinValue, (long)int.MaxValue)]
    [TestCase("clear", "--threads", 1L, (long)ClearingEngine.MaxDegreeOfParallelism, "book.csv")]
    [TestCase("clear", "--reference-price", 1L, long.MaxValue, "book.csv")]
    [TestCase("settle", "--block", 1L, MaxSettleBlock)]
    [TestCase("settle", "--orders", 2L, 2_000L)]
    [TestCase("settle", "--chain-id", 1L, long.MaxValue)]
    [TestCase("settle", "--lot-size", 1L, long.MaxValue)]
    [TestCase("settle", "--tick-size", 1L, long.MaxValue)]
    [TestCase("settle", "--seed", (long)int.MinValue, (long)int.MaxValue)]
    public void AnIntegerIsAcceptedFromItsMinimumToItsMaximumAndNothingBeyond(string command, string option, long min, long max, params string[] rest)
    {
        RootCommand root = AuctionCli.CreateRootCommand(new CliConsole(TextWriter.Null, TextWriter.Null, false, false));
        UsageError? With(Int128 value) => UsageError.Find(root.Parse([command, .. rest, option, value.ToString(System.Globalization.CultureInfo.InvariantCulture)]));

        using (Assert.EnterMultipleScope())
        {
            foreach (Int128 inside in new Int128[] { min, (Int128)min + 1, ((Int128)min + max) / 2, (Int128)max - 1, max })
            {
                Assert.That(With(inside), Is.Null, $"{option} {inside}");
            }

            foreach (Int128 outside in new Int128[] { (Int128)min - 1, (Int128)max + 1, (Int128)long.MinValue - 1, (Int128)long.MaxValue + 1 })
            {
                if (outside < min || outside > max)
                {
                    Assert.That(With(outside)?.Message, Does.StartWith($"{option} must be"), $"{option} {outside}");
                }
            }
        }
    }

    private static void AssertUsageError(CliRun run, string message, string command)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(run.ErrorLines, Is.EqualTo(new[] { message, $"see '{command} --help'" }));
            Assert.That(run.Output, Is.Empty);
        }
    }
}
