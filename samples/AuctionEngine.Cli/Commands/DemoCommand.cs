using System.Diagnostics;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Demo;
using AuctionEngine.Cli.Output;
using AuctionEngine.Clearing;

namespace AuctionEngine.Cli.Commands;

/// <summary>
/// <c>auction demo [--plain] [--orders N] [--seed S] [--rule RULE] [--threads T]</c>: runs a generated sealed batch
/// through its whole lifecycle, or with <c>--plain</c> only clears a generated batch (on up to T threads), and prints a
/// summary.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Sealing costs a fraction of a millisecond per order, so the sealed default stays within CI's few seconds.</summary>
    private const int DefaultSealedOrderCount = 1_000;

    private const int DefaultPlainOrderCount = 10_000;
    private const int MaxPlainOrderCount = 10_000_000;
    private const int DefaultSeed = 42;

    /// <summary>From this size generation takes long enough that silence would look like a hang.</summary>
    private const int ProgressThreshold = 200_000;

    private static readonly string[] KnownOptions = ["--orders", "--seed", "--rule", "--threads"];
    private static readonly string[] KnownFlags = ["--plain"];

    public static int Run(ReadOnlySpan<string> args)
    {
        ParsedArguments arguments = ParsedArguments.Parse(args, KnownOptions, KnownFlags);
        if (arguments.Positionals.Count > 0)
        {
            throw new UsageException($"demo takes no file; unexpected argument '{arguments.Positionals[0]}'.");
        }

        bool plain = arguments.HasFlag("--plain");
        int orderCount = plain
            ? (int)arguments.GetInteger("--orders", DefaultPlainOrderCount, 1, MaxPlainOrderCount)
            : (int)arguments.GetInteger("--orders", DefaultSealedOrderCount, 1, SealedDemo.MaxOrderCount);
        int seed = (int)arguments.GetInteger("--seed", DefaultSeed, int.MinValue, int.MaxValue);
        PriceRule rule = arguments.GetChoice("--rule", PriceRuleNames.All, PriceRule.Midpoint);
        long? threadsOption = arguments.GetOptionalInteger("--threads", 1, ClearingEngine.MaxDegreeOfParallelism);
        int threads = (int)(threadsOption ?? 1);

        if (!plain)
        {
            if (threadsOption is not null)
            {
                throw new UsageException("--threads applies to demo --plain; the sealed demo already decrypts on every core.");
            }

            SealedDemo.Run(orderCount, seed, rule, Console.Out);
            return ExitCodes.Success;
        }

        IProgress<int>? progress = null;
        if (orderCount >= ProgressThreshold)
        {
            Console.Error.Write($"generating {orderCount:N0} orders: ");
            progress = new StandardErrorProgress();
        }

        DemoBatch batch = DemoBatchGenerator.Generate(orderCount, seed, progress);

        // The generator's mid stands in for the last clearing price, so that xetra and euronext can break ties.
        var options = new ClearingOptions(rule, batch.MidPrice);
        using var engine = new ClearingEngine(orderCount, threads);
        var fills = new Fill[orderCount];
        long start = Stopwatch.GetTimestamp();
        ClearingResult result = engine.Clear(UnitMarket.Instance, batch.Orders, fills, options);
        TimeSpan coldTime = Stopwatch.GetElapsedTime(start);

        // The first call also pays for JIT compilation (which dwarfs small batches) and for the first touch of the
        // engine's buffers (which weighs on large ones). Engines are meant to be reused batch after batch, so clearing
        // the same batch again shows the steady-state cost.
        start = Stopwatch.GetTimestamp();
        engine.Clear(UnitMarket.Instance, batch.Orders, fills, options);
        TimeSpan warmTime = Stopwatch.GetElapsedTime(start);

        DemoSummaryWriter.Write(Console.Out, batch, seed, options, result, threads, coldTime, warmTime);
        return ExitCodes.Success;
    }

    /// <summary>Appends "10% 20% … 100%" to one line on stderr, so it reads the same on a terminal and in a log.</summary>
    private sealed class StandardErrorProgress : IProgress<int>
    {
        public void Report(int value) => Console.Error.Write(value < 100 ? $"{value}% " : "100%\n");
    }
}
