using AuctionEngine.Clearing;

namespace AuctionEngine.Cli.Clear;

/// <summary>Which fills <c>auction clear</c> writes.</summary>
internal enum FillsOutput
{
    /// <summary>One entry per accepted order, traded or not.</summary>
    All,

    /// <summary>Only the orders that traded.</summary>
    Traded,

    /// <summary>No fills: the batch-level outcome and the rejections only.</summary>
    None,
}

/// <summary>Everything <c>auction clear</c> was asked to do, as the command line parsed it.</summary>
/// <param name="InputPath">The order file: CSV, or Parquet by its extension.</param>
/// <param name="Rule">The price rule.</param>
/// <param name="ReferencePrice">The reference price in ticks, if given.</param>
/// <param name="Fills">Which fills to write.</param>
/// <param name="Pretty">Indent the JSON.</param>
/// <param name="OutputPath">Where to write (format by extension: .json, .csv, .parquet); null for JSON on standard output.</param>
/// <param name="Threads">How many threads reading and clearing may use.</param>
internal sealed record ClearRequest(string InputPath, PriceRule Rule, long? ReferencePrice, FillsOutput Fills, bool Pretty, string? OutputPath, int Threads);
