namespace AuctionEngine.Cli.Csv;

/// <summary>An order file that cannot be read as orders; the message names the file, the 1-based line and the problem.</summary>
internal sealed class CsvFormatException(string path, int lineNumber, string problem)
    : Exception($"{path}, line {lineNumber}: {problem}");
