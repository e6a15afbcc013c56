using AuctionEngine.Clearing;

namespace AuctionEngine.Cli.CommandLine;

/// <summary>The spellings <c>--rule</c> accepts, in either case.</summary>
internal static class PriceRuleNames
{
    public static readonly IReadOnlyDictionary<string, PriceRule> All = new Dictionary<string, PriceRule>(StringComparer.OrdinalIgnoreCase)
    {
        ["midpoint"] = PriceRule.Midpoint,
        ["xetra"] = PriceRule.Xetra,
        ["euronext"] = PriceRule.Euronext,
    };

    /// <summary>The spelling <c>--rule</c> takes for <paramref name="rule"/>.</summary>
    public static string NameOf(PriceRule rule) => All.First(pair => pair.Value == rule).Key;
}
