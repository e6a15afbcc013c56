namespace AuctionEngine.Cli.Csv;

/// <summary>
/// The size limits of an order file's lines and fields. They keep a damaged or hostile file (one endless line, an
/// id the size of a book) from costing more than a clear message, and they let the file be split between threads at
/// line boundaries found within a bounded distance.
/// </summary>
internal static class CsvLimits
{
    /// <summary>The longest line, in bytes, without its line ending.</summary>
    public const int MaxLineBytes = 4096;

    /// <summary>The longest id, in UTF-8 bytes, after trimming and unquoting.</summary>
    public const int MaxIdBytes = 256;

    /// <summary>The largest file: an id's position must fit the 40 bits it is kept in.</summary>
    public const long MaxFileBytes = 1L << 40;
}
