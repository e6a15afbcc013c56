using AuctionEngine.Cli.CommandLine;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests.Support;

/// <summary>One in-process run of the command line: its exit code and everything it wrote.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>The error output's lines, without the empty one after the final newline.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs <c>auction</c> with <paramref name="args"/> on streams that are not terminals, as a pipe would see it.</summary>
    public static CliRun Of(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = AuctionCli.Run(args, output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Runs <c>auction</c> with standard error at a terminal and standard output in a pipe, both captured, showing
    /// every phase's progress from its start so that what appears does not depend on timing.
    /// </summary>
    public static CliRun AtTerminal(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error, OutputIsTerminal: false, ErrorIsTerminal: true) { ShowProgressAfter = TimeSpan.Zero };
        int exitCode = AuctionCli.Run(args, console);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The path of a sample order file from samples/data, copied beside the tests.</summary>
    public static string Sample(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", name);
}
