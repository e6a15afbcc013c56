namespace AuctionEngine.Cli.Clear;

/// <summary>
/// An order file that cannot be read as orders. The message names the file, the 1-based line (for Parquet, the
/// 1-based row) and, where one column is at fault, the column, so that it can be shown to the user as it is.
/// </summary>
internal sealed class OrderFileException : Exception
{
    /// <summary>Creates the exception with a message that already names the file and the place.</summary>
    /// <param name="message">The whole message, e.g. <c>book.csv, line 5, column 3 (price): …</c>.</param>
    public OrderFileException(string message)
        : base(message)
    {
    }

    /// <summary>A problem with one line as a whole, or with the file when <paramref name="line"/> is 0.</summary>
    public static OrderFileException AtLine(string path, long line, string problem) =>
        new(line > 0 ? $"{path}, line {line}: {problem}" : $"{path}: {problem}");

    /// <summary>A problem with one field: <paramref name="column"/> is its 1-based position in the line.</summary>
    public static OrderFileException AtColumn(string path, long line, int column, string columnName, string problem) =>
        new($"{path}, line {line}, column {column} ({columnName}): {problem}");

    /// <summary>A problem with one value of a Parquet file: <paramref name="row"/> is 1-based.</summary>
    public static OrderFileException AtRow(string path, long row, string columnName, string problem) =>
        new($"{path}, row {row}, column {columnName}: {problem}");
}
