using AuctionEngine.Cli.Clear;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Clearing;

namespace AuctionEngine.Cli.Commands;

/// <summary>
/// <c>auction clear FILE [--rule RULE] [--reference-price TICKS] [--threads T] [--fills all|traded|none] [--pretty]
/// [--output FILE]</c>: parses the command line and hands the work to <see cref="ClearRunner"/>.
/// </summary>
internal static class ClearCommand
{
    private static readonly string[] KnownOptions = ["--rule", "--reference-price", "--threads", "--fills", "--output"];
    private static readonly string[] KnownFlags = ["--pretty"];

    private static readonly IReadOnlyDictionary<string, FillsOutput> FillsChoices = new Dictionary<string, FillsOutput>(StringComparer.OrdinalIgnoreCase)
    {
        ["all"] = FillsOutput.All,
        ["traded"] = FillsOutput.Traded,
        ["none"] = FillsOutput.None,
    };

    public static int Run(ReadOnlySpan<string> args)
    {
        ParsedArguments arguments = ParsedArguments.Parse(args, KnownOptions, KnownFlags);
        if (arguments.Positionals.Count != 1)
        {
            throw new UsageException("clear takes exactly one FILE.");
        }

        string? output = arguments.GetText("--output", string.Empty);
        var request = new ClearRequest(
            arguments.Positionals[0],
            arguments.GetChoice("--rule", PriceRuleNames.All, PriceRule.Midpoint),
            arguments.GetOptionalInteger("--reference-price", 1, UnitMarket.Instance.MaxPrice),
            arguments.GetChoice("--fills", FillsChoices, FillsOutput.All),
            arguments.HasFlag("--pretty"),
            output.Length == 0 ? null : output,
            (int)arguments.GetInteger("--threads", Environment.ProcessorCount, 1, ClearingEngine.MaxDegreeOfParallelism));
        return ClearRunner.Run(request, Console.Error, NoProgress.Instance);
    }
}
