using System.Globalization;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Commands;
using AuctionEngine.Cli.Csv;
using AuctionEngine.Cli.Identity;
using AuctionEngine.Cli.Output;
using AuctionEngine.Cli.Parquet;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;

namespace AuctionEngine.Cli.Clear;

/// <summary>
/// <c>auction clear</c> once the command line is parsed: reads the order file (CSV, or Parquet by its extension),
/// clears it, and writes the outcome as JSON, CSV or Parquet.
/// </summary>
/// <remarks>
/// Every failure ends here as one line on the error writer and an exit code: an unusable input or output file is
/// <see cref="ExitCodes.InputError"/> with a message naming the file and, where it can, the line and column; anything
/// unexpected is 1. No stack trace reaches the user.
/// </remarks>
internal static class ClearRunner
{
    // ExitCodes names 0, 2 and 3; 1 is what a failure nobody foresaw exits with.
    private const int UnexpectedError = 1;

    /// <summary>Runs <c>auction clear</c>, writing to <paramref name="openOutput"/>'s stream unless the request names an output file.</summary>
    /// <param name="request">What to do.</param>
    /// <param name="openOutput">Opens where results go when no output file is named, e.g. the process's standard output.</param>
    /// <param name="error">Receives one line per problem, and the hint when a reference price is needed.</param>
    /// <param name="progress">Shows the reading, clearing and writing phases.</param>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public static int Run(ClearRequest request, Func<Stream> openOutput, TextWriter error, IPhaseProgress progress) =>
        Run(request, error, progress, ClearSeams.Default with { StandardOutput = openOutput });

    /// <summary><see cref="Run(ClearRequest, Func{Stream}, TextWriter, IPhaseProgress)"/> with the seams tests replace.</summary>
    internal static int Run(ClearRequest request, TextWriter error, IPhaseProgress progress, ClearSeams seams)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(seams);
        try
        {
            return Clear(request, error, progress, seams);
        }
#pragma warning disable CA1031 // The one place every failure is caught: one line and an exit code, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // A failure on a formatting thread arrives wrapped; what the user needs to hear is the failure itself.
            Exception cause = e is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[0] : e;
            return cause switch
            {
                OrderFileException => Report(error, cause.Message, ExitCodes.InputError),
                RequestException => Report(error, cause.Message, ExitCodes.UsageError),
                _ => Report(error, $"unexpected error: {cause.GetType().Name}: {cause.Message}", UnexpectedError),
            };
        }
    }

    private static int Clear(ClearRequest request, TextWriter error, IPhaseProgress progress, ClearSeams seams)
    {
        OrderIdHash hash = seams.Hash;
        OutputFormat format = OutputFormatOf(request.OutputPath);
        if (request.OutputPath is not null && string.Equals(Path.GetFullPath(request.OutputPath), Path.GetFullPath(request.InputPath), StringComparison.Ordinal))
        {
            // The ids are read back from the input while the output is written: writing over it would destroy both.
            throw new RequestException($"--output {request.OutputPath} is the input file; write the outcome elsewhere.");
        }

        var options = new ClearingOptions(request.Rule, request.ReferencePrice);
        if (request.ReferencePrice is long reference && (reference < 1 || reference > UnitMarket.Instance.MaxPrice))
        {
            throw new RequestException($"--reference-price must be between 1 and {UnitMarket.Instance.MaxPrice}.");
        }

        int threads = Math.Clamp(request.Threads, 1, ClearingEngine.MaxDegreeOfParallelism);
        using OrderBook book = Read(request.InputPath, threads, seams, progress);

        Fill[] fills = GC.AllocateUninitializedArray<Fill>(book.Count);
        ClearingResult result;
        using (IPhase clearing = progress.Begin(string.Create(CultureInfo.InvariantCulture, $"clearing {book.Count:N0} orders"), book.Count))
        {
            // An engine holds at least one order, and a header-only file is a valid empty batch.
            using var engine = new ClearingEngine(Math.Max(1, book.Count), threads);
            result = engine.Clear(UnitMarket.Instance, book.Span, fills, options);
            if (IdCollisions.Separate(book.Span, fills, book.Ids, hash))
            {
                result = engine.Clear(UnitMarket.Instance, book.Span, fills, options);
            }

            clearing.Advance(book.Count);
        }

        var outcome = new ClearOutcome(book, fills, result, options);
        Write(request, outcome, format, threads, progress, seams.StandardOutput);
        if (result.Status == ClearingStatus.ReferencePriceRequired)
        {
            // With no limit order there is no best bid or ask: a book of market orders alone has no price of its own.
            string why = result.BestBid is null && result.BestAsk is null
                ? "its orders are all market orders, which trade only at a reference price"
                : $"rule {OutputNames.CamelCase(request.Rule)} cannot choose among the tied prices without one";
            error.WriteLine($"auction clear: the batch needs a reference price: {why}; pass --reference-price TICKS (e.g. the last clearing price).");
            return ExitCodes.ReferencePriceRequired;
        }

        return ExitCodes.Success;
    }

    private static OrderBook Read(string path, int threads, ClearSeams seams, IPhaseProgress progress)
    {
        long length = File.Exists(path) ? new FileInfo(path).Length : 0;
        using IPhase reading = progress.Begin($"reading {Path.GetFileName(path)}", length);
        try
        {
            return IsParquet(path)
                ? ParquetOrderReader.Read(path, threads, seams.Hash, reading)
                : OrderCsvReader.Read(path, threads, seams.Hash, reading, seams.CsvRangeBytes);
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw OrderFileException.AtLine(path, 0, "no such file.");
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            throw OrderFileException.AtLine(path, 0, "is a directory, not an order file.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OrderFileException.AtLine(path, 0, $"cannot be read: {e.Message}");
        }
    }

    private static void Write(ClearRequest request, ClearOutcome outcome, OutputFormat format, int threads, IPhaseProgress progress, Func<Stream> standardOutput)
    {
        string target = request.OutputPath is null ? "standard output" : Path.GetFileName(request.OutputPath);
        // JSON passes over the orders twice (fills, then rejections); a table once.
        using IPhase writing = progress.Begin($"writing {target}", format == OutputFormat.Json ? 2L * outcome.Book.Count : outcome.Book.Count);
        Stream output;
        try
        {
            output = request.OutputPath is null ? standardOutput() : File.Create(request.OutputPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OrderFileException.AtLine(request.OutputPath!, 0, $"cannot be written: {e.Message}");
        }

        using (output)
        {
            switch (format)
            {
                case OutputFormat.Json:
                    ClearingJsonWriter.Write(output, outcome, request.Fills, request.Pretty, threads, writing);
                    break;
                case OutputFormat.Csv:
                    ClearingCsvWriter.Write(output, outcome, request.Fills, writing);
                    break;
                default:
                    ClearingParquetWriter.Write(output, outcome, request.Fills, request.OutputPath!, writing);
                    break;
            }
        }

        if (format != OutputFormat.Json)
        {
            // The batch outcome has no place in a table of orders: it goes to standard output as JSON instead.
            using Stream summary = standardOutput();
            ClearingJsonWriter.WriteSummaryOnly(summary, outcome, request.Pretty);
        }
    }

    private static OutputFormat OutputFormatOf(string? outputPath)
    {
        if (outputPath is null)
        {
            return OutputFormat.Json;
        }

        string extension = Path.GetExtension(outputPath);
        return extension.ToUpperInvariant() switch
        {
            ".JSON" => OutputFormat.Json,
            ".CSV" => OutputFormat.Csv,
            ".PARQUET" => OutputFormat.Parquet,
            _ => throw new RequestException($"--output {outputPath}: the file name must end in .json, .csv or .parquet, which decides the format."),
        };
    }

    private static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    private static int Report(TextWriter error, string message, int exitCode)
    {
        error.WriteLine($"auction: {message}");
        return exitCode;
    }

    /// <summary>What tests replace: the id hash, standard output, and how finely a CSV file is cut between threads.</summary>
    /// <param name="Hash">The id hash.</param>
    /// <param name="StandardOutput">Opens standard output.</param>
    /// <param name="CsvRangeBytes">The bytes of a CSV file one thread parses at a time.</param>
    internal sealed record ClearSeams(OrderIdHash Hash, Func<Stream> StandardOutput, int CsvRangeBytes)
    {
        /// <summary>XXH3-128, the process's standard output, 1 MiB ranges.</summary>
        public static ClearSeams Default { get; } = new(OrderIdentity.Hash, Console.OpenStandardOutput, OrderCsvReader.RangeBytes);
    }

    private enum OutputFormat
    {
        Json,
        Csv,
        Parquet,
    }

    /// <summary>A request the command line let through but that cannot be carried out as asked.</summary>
    private sealed class RequestException(string message) : Exception(message);
}
