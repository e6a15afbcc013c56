using System.Globalization;
using System.Numerics;

namespace AuctionEngine.Cli.Output;

/// <summary>Numbers and lists as a sentence would put them: "1 order", "2 orders", "keypers 1, 3 and 4".</summary>
internal static class Prose
{
    /// <summary>
    /// <paramref name="count"/> with thousands separators, then the noun in the number it needs: <c>1 order</c>,
    /// <c>0 orders</c>, <c>2,000 orders</c>.
    /// </summary>
    /// <param name="count">How many.</param>
    /// <param name="singular">The noun for one.</param>
    /// <param name="plural">The noun for any other count; <paramref name="singular"/> and an "s" when null.</param>
    public static string Count<T>(T count, string singular, string? plural = null)
        where T : IBinaryInteger<T> =>
        string.Create(CultureInfo.CurrentCulture, $"{count:N0} {(count == T.One ? singular : plural ?? singular + "s")}");

    /// <summary>
    /// The items joined as prose: <c>a</c>, <c>a and b</c>, <c>a, b and c</c> (no serial comma), or an empty string
    /// for no items.
    /// </summary>
    /// <param name="items">The items, in the order to list them.</param>
    /// <param name="conjunction">The word before the last item, e.g. <c>and</c> or <c>or</c>.</param>
    public static string List(IReadOnlyList<string> items, string conjunction = "and") => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} {conjunction} {items[^1]}",
    };

    /// <summary>The numbers listed as prose, e.g. <c>1, 3 and 4</c>.</summary>
    public static string List(IEnumerable<int> numbers) =>
        List([.. numbers.Select(n => n.ToString(CultureInfo.CurrentCulture))]);
}
