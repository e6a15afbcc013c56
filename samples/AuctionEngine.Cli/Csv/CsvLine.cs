using System.Runtime.CompilerServices;
using System.Text;

namespace AuctionEngine.Cli.Csv;

/// <summary>One field of a line: where its content starts and how long it is, after trimming and without its quotes.</summary>
/// <param name="Start">The content's offset in the line.</param>
/// <param name="Length">The content's length in bytes.</param>
/// <param name="Escaped">Whether the content is quoted and holds doubled quotes, so it must be unescaped before use.</param>
internal readonly record struct CsvField(int Start, int Length, bool Escaped)
{
    /// <summary>The field's content as written in <paramref name="line"/> (doubled quotes still doubled).</summary>
    public ReadOnlySpan<byte> In(ReadOnlySpan<byte> line) => line.Slice(Start, Length);
}

/// <summary>
/// Splits one line of an order file into fields: comma-separated, spaces and tabs around a field ignored, and a field
/// may be quoted (<c>"a,b"</c>, with <c>""</c> for a quote inside), as spreadsheets write them. A quoted field may not
/// span lines: the file is cut between threads at line ends, which only works if every line end is one.
/// </summary>
internal static class CsvLine
{
    private const byte Comma = (byte)',';
    private const byte Quote = (byte)'"';

    /// <summary>Whether the line holds nothing but spaces and tabs.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0;

    /// <summary>
    /// Splits <paramref name="line"/>. Stores up to <paramref name="fields"/>.Length fields and counts any beyond.
    /// </summary>
    /// <returns>The number of fields in the line, or −1 when it cannot be split (see <paramref name="problem"/>).</returns>
    public static int Split(ReadOnlySpan<byte> line, Span<CsvField> fields, out string? problem, out int problemColumn)
    {
        int count = 0;
        int position = 0;
        while (true)
        {
            int start = SkipBlanks(line, position);
            int next;
            CsvField field;
            if (start < line.Length && line[start] == Quote)
            {
                if (!TrySplitQuoted(line, start, out field, out next, out problem))
                {
                    problemColumn = count + 1;
                    return -1;
                }
            }
            else
            {
                int end = line[start..].IndexOfAny(Comma, Quote);
                end = end < 0 ? line.Length : start + end;
                if (end < line.Length && line[end] == Quote)
                {
                    problem = "a quote inside an unquoted field; quote the whole field and double the quotes inside it (\"a\"\"b\").";
                    problemColumn = count + 1;
                    return -1;
                }

                field = new CsvField(start, TrimEnd(line[start..end]), Escaped: false);
                next = end;
            }

            if (count < fields.Length)
            {
                fields[count] = field;
            }

            count++;
            if (next >= line.Length)
            {
                problem = null;
                problemColumn = 0;
                return count;
            }

            position = next + 1; // Past the comma.
        }
    }

    /// <summary>Writes a quoted field's content with each doubled quote made single; returns the length written.</summary>
    public static int Unescape(ReadOnlySpan<byte> content, Span<byte> destination)
    {
        int written = 0;
        for (int i = 0; i < content.Length; i++)
        {
            destination[written++] = content[i];
            if (content[i] == Quote)
            {
                i++; // The second quote of the pair.
            }
        }

        return written;
    }

    /// <summary>Text for a message: the field as UTF-8, shortened when long.</summary>
    public static string Show(ReadOnlySpan<byte> text)
    {
        const int Longest = 64;
        string shown = Encoding.UTF8.GetString(text.Length > Longest ? text[..Longest] : text);
        return text.Length > Longest ? shown + "…" : shown;
    }

    private static bool TrySplitQuoted(ReadOnlySpan<byte> line, int openingQuote, out CsvField field, out int next, out string? problem)
    {
        int contentStart = openingQuote + 1;
        int search = contentStart;
        bool escaped = false;
        while (true)
        {
            int quote = line[search..].IndexOf(Quote);
            if (quote < 0)
            {
                field = default;
                next = 0;
                problem = "a quoted field is not closed on its line (quoted fields may not span lines).";
                return false;
            }

            quote += search;
            if (quote + 1 < line.Length && line[quote + 1] == Quote)
            {
                escaped = true;
                search = quote + 2;
                continue;
            }

            field = new CsvField(contentStart, quote - contentStart, escaped);
            int after = SkipBlanks(line, quote + 1);
            if (after < line.Length && line[after] != Comma)
            {
                next = 0;
                problem = "text after a closing quote; a quoted field ends at its closing quote.";
                return false;
            }

            next = after;
            problem = null;
            return true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipBlanks(ReadOnlySpan<byte> line, int position)
    {
        while (position < line.Length && (line[position] == (byte)' ' || line[position] == (byte)'\t'))
        {
            position++;
        }

        return position;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TrimEnd(ReadOnlySpan<byte> field)
    {
        int length = field.Length;
        while (length > 0 && (field[length - 1] == (byte)' ' || field[length - 1] == (byte)'\t'))
        {
            length--;
        }

        return length;
    }
}
