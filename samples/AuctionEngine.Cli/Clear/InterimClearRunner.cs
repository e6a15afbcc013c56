using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Commands;
using AuctionEngine.Cli.Csv;
using AuctionEngine.Cli.Output;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;

namespace AuctionEngine.Cli.Clear;

/// <summary>
/// Runs a <see cref="ClearRequest"/> through today's clear (<see cref="OrderCsvReader"/>, one engine,
/// <see cref="ClearingJsonWriter"/>) until the new pipeline, <c>ClearRunner</c>, replaces it: same signature, so the
/// switch is one call in <see cref="ClearCommand"/> and this file goes.
/// </summary>
/// <remarks>
/// Today's writer writes indented JSON with every fill, and nothing else. A request it cannot honour (other fills, a
/// CSV or Parquet output) is refused with exit code 2 rather than answered with something else; <c>--pretty</c> is
/// what it always does.
/// </remarks>
internal static class InterimClearRunner
{
    public static int Run(ClearRequest request, TextWriter error, IPhaseProgress progress)
    {
        if (request.Fills != FillsOutput.All || (request.OutputPath is string target && !target.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
        {
            error.WriteLine("auction clear: --fills traded|none and CSV or Parquet output need the new clear pipeline, which this build does not have yet.");
            return ExitCodes.UsageError;
        }

        string path = request.InputPath;
        List<CsvOrder> rows;
        try
        {
            using IPhase reading = progress.Begin($"reading {Path.GetFileName(path)}", 0);
            rows = OrderCsvReader.ReadFile(path);
        }
        catch (CsvFormatException e)
        {
            return InputError(error, e.Message);
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return InputError(error, $"{path}: no such file.");
        }
        catch (IOException e)
        {
            return InputError(error, $"{path}: cannot be read: {e.Message}");
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            return InputError(error, $"{path}: is a directory, not an order file.");
        }
        catch (UnauthorizedAccessException e)
        {
            return InputError(error, $"{path}: cannot be read: {e.Message}");
        }

        Order[] orders = [.. rows.Select(row => row.Order)];
        var fills = new Fill[orders.Length];
        var options = new ClearingOptions(request.Rule, request.ReferencePrice);
        ClearingResult result;
        using (progress.Begin($"clearing {Prose.Count(orders.Length, "order")}", 0))
        {
            // An engine holds at least one order, and a header-only file is a valid empty batch. Beyond the engine's
            // largest capacity, the engine itself decides which orders are cut (as over capacity).
            using var engine = new ClearingEngine(Math.Clamp(orders.Length, 1, ClearingEngine.MaxCapacity), request.Threads);
            result = engine.Clear(UnitMarket.Instance, orders, fills, options);
        }

        using (progress.Begin("writing JSON", 0))
        {
            using Stream output = request.OutputPath is null ? Console.OpenStandardOutput() : File.Create(request.OutputPath);
            ClearingJsonWriter.Write(output, rows, fills, options, result);
        }

        if (result.Status == ClearingStatus.ReferencePriceRequired)
        {
            string why = result.BestBid is null && result.BestAsk is null
                ? "its orders are all market orders, which trade only at a reference price"
                : $"rule {PriceRuleNames.NameOf(request.Rule)} cannot choose among the tied prices without one";
            error.WriteLine($"auction clear: the batch needs a reference price: {why}; pass --reference-price TICKS (e.g. the last clearing price).");
            return ExitCodes.ReferencePriceRequired;
        }

        return ExitCodes.Success;
    }

    private static int InputError(TextWriter error, string message)
    {
        error.WriteLine($"auction: {message}");
        return ExitCodes.InputError;
    }
}
