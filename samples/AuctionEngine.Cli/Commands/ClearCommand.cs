using System.CommandLine;
using AuctionEngine.Cli.Clear;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Clearing;

namespace AuctionEngine.Cli.Commands;

/// <summary>
/// <c>auction clear FILE [--rule] [--reference-price] [--fills] [--pretty] [--output] [--threads] [--quiet]</c>: the
/// command's definition, which turns its arguments into a <see cref="ClearRequest"/> for the clear pipeline.
/// </summary>
internal static class ClearCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "clear";

    /// <summary>The spellings of <c>--fills</c>, in the order help lists them.</summary>
    private static readonly Dictionary<string, FillsOutput> FillsNames = new(StringComparer.Ordinal)
    {
        ["all"] = FillsOutput.All,
        ["traded"] = FillsOutput.Traded,
        ["none"] = FillsOutput.None,
    };

    private static readonly string[] OutputExtensions = [".json", ".csv", ".parquet"];

    /// <summary>The command, whose action builds a <see cref="ClearRequest"/> and runs it with progress on <paramref name="console"/>.</summary>
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("FILE")
        {
            Description = "The orders: a CSV file with the header id,side,price,quantity and an optional trader column, or a Parquet file (.parquet) with the same columns.",
        };
        Option<string> rule = PriceRuleNames.CreateOption("--reference-price");
        Option<long?> referencePrice = CliOptions.OptionalInteger(
            "--reference-price",
            "TICKS",
            "The reference price in ticks, e.g. the last clearing price: xetra and euronext break ties with it, and every rule prices a book of market orders alone at it. Default: none; a batch that needs one exits with code 3.",
            1L,
            UnitMarket.Instance.MaxPrice);
        Option<string> fills = CliOptions.Choice(
            "--fills",
            "Which fills to write: every accepted order's, only those that traded, or none (the batch outcome and the rejections only).",
            [.. FillsNames.Keys],
            "all");
        var pretty = new Option<bool>("--pretty") { Description = "Indent the JSON. Default: compact, one line." };
        var output = new Option<string?>("--output", "-o")
        {
            HelpName = "FILE",
            Description = "Write the outcome to FILE instead of standard output, in the format its extension names: .json, .csv or .parquet. Default: JSON on standard output.",
        };
        output.Validators.Add(result =>
        {
            string? path = result.GetValueOrDefault<string?>();
            if (path is not null && !OutputExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"--output must end in .json, .csv or .parquet, not '{path}'.");
            }
        });
        Option<int> threads = CliOptions.Integer(
            "--threads",
            "N",
            "Threads that reading and clearing may use. The outcome is the same for every N. Default: one per core.",
            1,
            ClearingEngine.MaxDegreeOfParallelism,
            Math.Min(Environment.ProcessorCount, ClearingEngine.MaxDegreeOfParallelism));
        Option<bool> quiet = QuietOption.Create();

        var command = new Command(Name, "Clear the orders in a file at one uniform price and write the outcome: JSON on standard output unless --output names a file.")
        {
            file, rule, referencePrice, fills, pretty, output, threads, quiet,
        };
        command.SetAction(parsed =>
        {
            var request = new ClearRequest(
                parsed.GetRequiredValue(file),
                PriceRuleNames.All[parsed.GetRequiredValue(rule)],
                parsed.GetValue(referencePrice),
                FillsNames[parsed.GetRequiredValue(fills)],
                parsed.GetValue(pretty),
                parsed.GetValue(output),
                parsed.GetValue(threads));

            // JSON streaming to the same screen as the live display would tear both apart.
            bool outputOnScreen = request.OutputPath is null && console.OutputIsTerminal;
            return ClearRunner.Run(request, console.OpenOutput, console.Error, console.Progress(parsed.GetValue(quiet) || outputOnScreen));
        });
        return command;
    }
}
