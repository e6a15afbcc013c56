using System.Text;

namespace AuctionEngine.Cli.Csv;

/// <summary>Where each column sits in a row; <see cref="Trader"/> is −1 when the file has no trader column.</summary>
internal sealed record CsvLayout(int Count, int Id, int Side, int Price, int Quantity, int Trader)
{
    /// <summary>The required columns, in the order the documentation gives them.</summary>
    public static readonly string[] RequiredNames = ["id", "side", "price", "quantity"];

    /// <summary>Every column a file may have.</summary>
    public static readonly string[] Names = [.. RequiredNames, "trader"];

    /// <summary>The name of the column at <paramref name="index"/>, for messages.</summary>
    public string NameOf(int index) =>
        index == Id ? "id" : index == Side ? "side" : index == Price ? "price" : index == Quantity ? "quantity" : "trader";

    /// <summary>Builds the layout from the header's (trimmed, unquoted) names, in any order and case.</summary>
    /// <param name="names">The header's fields as UTF-8.</param>
    /// <param name="problem">Why the header is not usable, when it is not.</param>
    /// <param name="column">The 1-based column the problem is in, or 0 when it is the header as a whole.</param>
    public static CsvLayout? FromHeader(IReadOnlyList<byte[]> names, out string? problem, out int column)
    {
        int[] position = [-1, -1, -1, -1, -1];
        for (int i = 0; i < names.Count; i++)
        {
            string name = Encoding.UTF8.GetString(names[i]);
            int known = Array.FindIndex(Names, candidate => candidate.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (known < 0)
            {
                problem = $"unknown column '{name}' in the header; the columns are {string.Join(", ", Names)} (trader is optional).";
                column = i + 1;
                return null;
            }

            if (position[known] >= 0)
            {
                problem = $"column '{name}' appears twice in the header.";
                column = i + 1;
                return null;
            }

            position[known] = i;
        }

        string[] missing = [.. RequiredNames.Where((_, index) => position[index] < 0)];
        if (missing.Length > 0)
        {
            problem = $"the header lacks the column{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)}.";
            column = 0;
            return null;
        }

        problem = null;
        column = 0;
        return new CsvLayout(names.Count, position[0], position[1], position[2], position[3], position[4]);
    }
}
