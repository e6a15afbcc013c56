using System.CommandLine;
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

    /// <summary>The <c>--rule</c> option: a spelling from <see cref="All"/>, midpoint by default.</summary>
    /// <param name="reference">Where the command's reference price comes from, e.g. <c>--reference-price</c>.</param>
    public static Option<string> CreateOption(string reference) => CliOptions.Choice(
        "--rule",
        $"How to choose among prices that tie on volume and surplus: midpoint takes the middle of the tied range; xetra (among the book's limit prices) and euronext (any tick) take the one nearest the reference price, {reference}.",
        [.. All.Keys],
        NameOf(PriceRule.Midpoint));
}
