using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Demo;
using AuctionEngine.Cli.Output;
using AuctionEngine.Clearing;

namespace AuctionEngine.Cli.Commands;

/// <summary>
/// <c>auction demo [--plain] [--orders N] [--seed S] [--rule RULE] [--threads T] [--quiet]</c>: runs a generated
/// sealed batch through its whole lifecycle, or with <c>--plain</c> only clears a generated batch (on up to T
/// threads), and prints a summary.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "demo";

    /// <summary>Sealing costs about a millisecond per order, so the sealed default runs in a second or two.</summary>
    private const int DefaultSealedOrderCount = 1_000;

    private const int DefaultPlainOrderCount = 10_000;
    private const int MaxPlainOrderCount = 10_000_000;
    private const int DefaultSeed = 42;

    /// <summary>The command, whose action writes the demo to <paramref name="console"/>'s output and its progress to its error stream.</summary>
    public static Command Create(CliConsole console)
    {
        var plain = new Option<bool>("--plain")
        {
            Description = "Skip the sealing and its cryptography: generate a batch of plain orders, clear it and time the engine.",
        };
        Option<int?> orders = CliOptions.OptionalInteger(
            "--orders",
            "N",
            $"How many honest orders to generate. Default: {DefaultSealedOrderCount:N0}, or {DefaultPlainOrderCount:N0} with --plain. The sealed demo takes at most {SealedDemo.MaxOrderCount:N0}.",
            1,
            MaxPlainOrderCount);
        Option<int> seed = CliOptions.Integer(
            "--seed",
            "S",
            "The random seed; the same seed gives the same output apart from timings.",
            int.MinValue,
            int.MaxValue,
            DefaultSeed);
        Option<string> rule = PriceRuleNames.CreateOption("here the mid the orders are drawn around");
        Option<int?> threads = CliOptions.OptionalInteger(
            "--threads",
            "T",
            "With --plain: threads the engine may split a batch of 32,768 orders or more between; the result is the same for every T. Default: 1. The sealed demo decrypts on every core already.",
            1,
            ClearingEngine.MaxDegreeOfParallelism);
        Option<bool> quiet = QuietOption.Create();

        var command = new Command(Name, "Generate a seeded sealed batch and run its whole life, printing each phase as it ends and a summary: keypers share the batch key 3-of-5, traders commit or encrypt signed orders (a few misbehave on purpose and are refused), the batch closes, commitments are revealed, keypers release signed shares, the orders are decrypted, cleared at one price, and settled.")
        {
            plain, orders, seed, rule, threads, quiet,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(plain))
            {
                return;
            }

            // From the token, because a value --orders itself refused cannot be read here (its own error stands).
            if (result.GetResult(orders) is { Tokens: [Token given] }
                && int.TryParse(given.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int count)
                && count > SealedDemo.MaxOrderCount)
            {
                result.AddError($"--orders must be from 1 to {SealedDemo.MaxOrderCount:N0} for the sealed demo (up to {MaxPlainOrderCount:N0} with --plain), not {count}.");
            }

            if (result.GetResult(threads) is not null)
            {
                result.AddError("--threads applies to demo --plain; the sealed demo already decrypts on every core.");
            }
        });
        command.SetAction(parsed =>
        {
            IPhaseProgress progress = console.Progress(parsed.GetValue(quiet));
            PriceRule priceRule = PriceRuleNames.All[parsed.GetRequiredValue(rule)];
            if (!parsed.GetValue(plain))
            {
                SealedDemo.Run(parsed.GetValue(orders) ?? DefaultSealedOrderCount, parsed.GetValue(seed), priceRule, console.Output, progress);
                return ExitCodes.Success;
            }

            RunPlain(parsed.GetValue(orders) ?? DefaultPlainOrderCount, parsed.GetValue(seed), priceRule, parsed.GetValue(threads) ?? 1, console.Output, progress);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void RunPlain(int orderCount, int seed, PriceRule rule, int threads, TextWriter output, IPhaseProgress progress)
    {
        DemoBatch batch;
        using (IPhase generating = progress.Begin($"generating {Prose.Count(orderCount, "order")}", orderCount))
        {
            batch = DemoBatchGenerator.Generate(orderCount, seed, generating);
        }

        // The generator's mid stands in for the last clearing price, so that xetra and euronext can break ties.
        var options = new ClearingOptions(rule, batch.MidPrice);
        using var engine = new ClearingEngine(orderCount, threads);
        var fills = new Fill[orderCount];
        ClearingResult result;
        TimeSpan coldTime, warmTime;
        using (progress.Begin($"clearing {Prose.Count(orderCount, "order")}, then again warm", 0))
        {
            long start = Stopwatch.GetTimestamp();
            result = engine.Clear(UnitMarket.Instance, batch.Orders, fills, options);
            coldTime = Stopwatch.GetElapsedTime(start);

            // The first call also pays for JIT compilation (which dwarfs small batches) and for the first touch of the
            // engine's buffers (which weighs on large ones). Engines are meant to be reused batch after batch, so
            // clearing the same batch again shows the steady-state cost.
            start = Stopwatch.GetTimestamp();
            engine.Clear(UnitMarket.Instance, batch.Orders, fills, options);
            warmTime = Stopwatch.GetElapsedTime(start);
        }

        DemoSummaryWriter.Write(output, batch, seed, options, result, threads, coldTime, warmTime);
    }
}
