namespace AuctionEngine.Cli.CommandLine;

/// <summary>Which known names a mistyped one was probably meant to be.</summary>
internal static class Suggestions
{
    /// <summary>
    /// The <paramref name="known"/> names closest to <paramref name="typed"/>: those it begins (as in <c>--ref</c> for
    /// <c>--reference-price</c>) and those one edit from it, else those within a few single-character edits, the nearest
    /// first; none when nothing is close, so a wild guess is never offered.
    /// </summary>
    /// <param name="typed">The name as given, with its dashes.</param>
    /// <param name="known">The names that would have been accepted there.</param>
    public static IReadOnlyList<string> For(string typed, IEnumerable<string> known)
    {
        string[] candidates = [.. known.Distinct(StringComparer.Ordinal)];
        string bare = typed.TrimStart('-');
        if (bare.Length >= 2)
        {
            string[] extended = [.. candidates.Where(c => c.TrimStart('-').StartsWith(bare, StringComparison.OrdinalIgnoreCase) && c.Length > typed.Length)];
            if (extended.Length > 0)
            {
                // A short name one edit away is offered too: "--con" begins "--contract" but is also "--cow" mistyped.
                return [.. extended, .. candidates.Where(c => !extended.Contains(c) && EditDistance(typed.ToLowerInvariant(), c.ToLowerInvariant()) == 1)];
            }
        }

        // A third of the name's length: "--rul" and "clera" are close, "--x" and "--json" are not. Below three
        // letters every short alias would be "close".
        if (bare.Length < 3)
        {
            return [];
        }

        int allowed = Math.Max(1, bare.Length / 3);
        var near = candidates
            .Select(c => (Name: c, Distance: EditDistance(typed.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed)
            .ToList();
        int best = near.Count > 0 ? near.Min(c => c.Distance) : 0;
        return [.. near.Where(c => c.Distance == best).Select(c => c.Name)];
    }

    /// <summary>The Damerau–Levenshtein (optimal string alignment) distance: swapping two neighbours counts as one edit.</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + substitution);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
