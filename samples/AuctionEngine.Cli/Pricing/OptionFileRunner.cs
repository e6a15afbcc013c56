using System.Globalization;
using System.Text;
using AuctionEngine.Cli.Clear;
using AuctionEngine.Cli.Csv;
using AuctionEngine.Options;

namespace AuctionEngine.Cli.Pricing;

/// <summary>
/// <c>auction option price|iv --input FILE.csv</c>: one option per row, named by a header with the command's own
/// option names as columns, evaluated and written as one JSON line per row, in order.
/// </summary>
/// <remarks>
/// The file streams through a 1 MiB buffer, so memory does not grow with it. A row that cannot be read (a number that
/// is not one, a word that is not a model or type) stops the run with <see cref="OrderFileException"/>, naming the
/// line and column, as <c>clear</c> does; a readable row the model cannot evaluate (a value missing or out of range)
/// gets <c>{"error": …}</c> on its line and the rest go on.
/// </remarks>
internal static class OptionFileRunner
{
    private const int BufferSize = 1 << 20;
    private const int MaxColumns = 16;

    /// <summary>Evaluates every row of <paramref name="path"/>, with <paramref name="defaults"/> for absent columns and empty fields.</summary>
    /// <returns>The number of rows.</returns>
    public static long Run(string path, bool impliedVolatility, in OptionInputs defaults, OptionJsonWriter json)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OrderFileException.AtLine(path, 0, e is FileNotFoundException or DirectoryNotFoundException ? "no such file." : $"cannot be read: {e.Message}");
        }

        using (file)
        {
            return Rows(file, path, impliedVolatility, defaults, json);
        }
    }

    private static long Rows(FileStream file, string path, bool impliedVolatility, OptionInputs defaults, OptionJsonWriter json)
    {
        byte[] buffer = new byte[BufferSize];
        int start = 0, end = 0;
        long lineNumber = 0, rows = 0;
        bool endOfFile = false;
        int[]? columns = null; // for each field position, the index of its name in OptionInputs.Names
        Span<CsvField> fields = stackalloc CsvField[MaxColumns];
        while (true)
        {
            int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline < 0 && !endOfFile)
            {
                if (start == 0 && end == buffer.Length)
                {
                    throw OrderFileException.AtLine(path, lineNumber + 1, $"a line is longer than {BufferSize} bytes.");
                }

                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
                int read = file.Read(buffer, end, buffer.Length - end);
                endOfFile = read == 0;
                end += read;
                continue;
            }

            if (newline < 0 && start == end)
            {
                return rows;
            }

            int length = newline < 0 ? end - start : newline;
            ReadOnlySpan<byte> line = buffer.AsSpan(start, length);
            start += newline < 0 ? length : length + 1;
            lineNumber++;
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (lineNumber == 1 && line.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }

            if (CsvLine.IsBlank(line))
            {
                continue;
            }

            int count = CsvLine.Split(line, fields, out string? problem, out int problemColumn);
            if (count < 0)
            {
                throw OrderFileException.AtColumn(path, lineNumber, problemColumn, columns is null ? "header" : ColumnName(columns, problemColumn - 1), problem!);
            }

            if (count > MaxColumns)
            {
                throw OrderFileException.AtLine(path, lineNumber, $"more than {MaxColumns} fields; the columns are {string.Join(", ", OptionInputs.Names)}.");
            }

            if (columns is null)
            {
                columns = Header(path, lineNumber, line, fields[..count]);
                continue;
            }

            if (count != columns.Length)
            {
                throw OrderFileException.AtLine(path, lineNumber, $"{count} fields where the header has {columns.Length}.");
            }

            OptionInputs row = Row(path, lineNumber, line, fields[..count], columns).Or(defaults);
            if (row.Evaluate(impliedVolatility, json, prefix: "") is { } unusable)
            {
                json.WriteError(string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: {unusable}"));
            }

            rows++;
        }
    }

    private static int[] Header(string path, long lineNumber, ReadOnlySpan<byte> line, ReadOnlySpan<CsvField> fields)
    {
        var columns = new int[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            string name = Encoding.UTF8.GetString(fields[i].In(line));
            int known = Array.FindIndex(OptionInputs.Names, candidate => candidate.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (known < 0)
            {
                throw OrderFileException.AtColumn(path, lineNumber, i + 1, "header", $"unknown column '{name}'; the columns are {string.Join(", ", OptionInputs.Names)}.");
            }

            if (columns.AsSpan(0, i).Contains(known))
            {
                throw OrderFileException.AtColumn(path, lineNumber, i + 1, "header", $"column '{name}' appears twice.");
            }

            columns[i] = known;
        }

        return columns;
    }

    private static OptionInputs Row(string path, long lineNumber, ReadOnlySpan<byte> line, ReadOnlySpan<CsvField> fields, int[] columns)
    {
        var row = default(OptionInputs);
        for (int i = 0; i < fields.Length; i++)
        {
            ReadOnlySpan<byte> text = fields[i].In(line);
            if (text.IsEmpty)
            {
                continue; // an empty field is an absent value: the command line's, if it gave one
            }

            switch (columns[i])
            {
                case 0:
                    row.Model = Ascii.EqualsIgnoreCase(text, "bs"u8) ? PricingModel.BlackScholes
                        : Ascii.EqualsIgnoreCase(text, "black76"u8) ? PricingModel.Black76
                        : throw OrderFileException.AtColumn(path, lineNumber, i + 1, "model", $"'{CsvLine.Show(text)}' is not 'bs' or 'black76'.");
                    break;
                case 1:
                    row.Type = Ascii.EqualsIgnoreCase(text, "call"u8) ? OptionType.Call
                        : Ascii.EqualsIgnoreCase(text, "put"u8) ? OptionType.Put
                        : throw OrderFileException.AtColumn(path, lineNumber, i + 1, "type", $"'{CsvLine.Show(text)}' is not 'call' or 'put'.");
                    break;
                default:
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                    {
                        throw OrderFileException.AtColumn(path, lineNumber, i + 1, OptionInputs.Names[columns[i]], $"'{CsvLine.Show(text)}' is not a finite number.");
                    }

                    Set(ref row, columns[i], value);
                    break;
            }
        }

        return row;
    }

    private static void Set(ref OptionInputs row, int column, double value)
    {
        switch (column)
        {
            case 2: row.Spot = value; break;
            case 3: row.Forward = value; break;
            case 4: row.Strike = value; break;
            case 5: row.Years = value; break;
            case 6: row.Volatility = value; break;
            case 7: row.Price = value; break;
            case 8: row.Rate = value; break;
            case 9: row.Yield = value; break;
            default: row.Discount = value; break;
        }
    }

    private static string ColumnName(int[] columns, int index) => index >= 0 && index < columns.Length ? OptionInputs.Names[columns[index]] : "beyond the header";
}
