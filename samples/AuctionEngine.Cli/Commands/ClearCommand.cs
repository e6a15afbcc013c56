using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Csv;
using AuctionEngine.Cli.Output;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;

namespace AuctionEngine.Cli.Commands;

/// <summary><c>auction clear FILE [--rule RULE] [--reference-price TICKS]</c>: clears an order file and prints JSON.</summary>
internal static class ClearCommand
{
    private static readonly string[] KnownOptions = ["--rule", "--reference-price"];

    public static int Run(ReadOnlySpan<string> args)
    {
        ParsedArguments arguments = ParsedArguments.Parse(args, KnownOptions);
        if (arguments.Positionals.Count != 1)
        {
            throw new UsageException("clear takes exactly one FILE.");
        }

        string path = arguments.Positionals[0];
        var options = new ClearingOptions(
            arguments.GetChoice("--rule", PriceRuleNames.All, PriceRule.Midpoint),
            arguments.GetOptionalInteger("--reference-price", 1, UnitMarket.Instance.MaxPrice));

        List<CsvOrder> rows;
        try
        {
            rows = OrderCsvReader.ReadFile(path);
        }
        catch (CsvFormatException e)
        {
            return ReportInputError(e.Message);
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ReportInputError($"{path}: no such file.");
        }
        catch (IOException e)
        {
            return ReportInputError($"{path}: cannot be read: {e.Message}");
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            return ReportInputError($"{path}: is a directory, not an order file.");
        }
        catch (UnauthorizedAccessException e)
        {
            return ReportInputError($"{path}: cannot be read: {e.Message}");
        }

        Order[] orders = [.. rows.Select(row => row.Order)];
        var fills = new Fill[orders.Length];

        // An engine holds at least one order, and a header-only file is a valid empty batch. Beyond the engine's
        // largest capacity, the engine itself decides which orders are cut (as over capacity).
        var engine = new ClearingEngine(Math.Clamp(orders.Length, 1, ClearingEngine.MaxCapacity));
        ClearingResult result = engine.Clear(UnitMarket.Instance, orders, fills, options);

        using Stream stdout = Console.OpenStandardOutput();
        ClearingJsonWriter.Write(stdout, rows, fills, options, result);
        return ExitCodes.Success;
    }

    private static int ReportInputError(string message)
    {
        Console.Error.WriteLine($"auction: {message}");
        return ExitCodes.InputError;
    }
}
