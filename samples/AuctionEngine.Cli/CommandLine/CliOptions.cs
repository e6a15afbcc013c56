using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using AuctionEngine.Cli.Output;
using AuctionEngine.Primitives;

namespace AuctionEngine.Cli.CommandLine;

/// <summary>
/// Builds the options every command shares the shape of: integers in a range, a word from a fixed list, an address.
/// Each states its range or choices in the help text and rejects anything else with one line that names the option,
/// the range and what was given.
/// </summary>
internal static class CliOptions
{
    /// <summary>An integer option from <paramref name="min"/> to <paramref name="max"/> that falls back to <paramref name="defaultValue"/>.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="valueName">The placeholder help shows for the value, e.g. <c>N</c>.</param>
    /// <param name="description">What it does; the range and default are appended.</param>
    /// <param name="min">The smallest value accepted.</param>
    /// <param name="max">The largest value accepted.</param>
    /// <param name="defaultValue">The value when the option is absent.</param>
    /// <param name="range">How help states the range, when <c>min to max</c> reads badly (e.g. <c>1 to 2^63 − 25</c>).</param>
    public static Option<T> Integer<T>(string name, string valueName, string description, T min, T max, T defaultValue, string? range = null)
        where T : struct, IBinaryInteger<T> =>
        new(name)
        {
            HelpName = valueName,
            Description = $"{description} Range: {range ?? RangeText(min, max)}.",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseInteger(result, name, min, max) ?? defaultValue,
        };

    /// <summary>An integer option from <paramref name="min"/> to <paramref name="max"/> that is null when absent.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="valueName">The placeholder help shows for the value, e.g. <c>TICKS</c>.</param>
    /// <param name="description">What it does and what its absence means; the range is appended.</param>
    /// <param name="min">The smallest value accepted.</param>
    /// <param name="max">The largest value accepted.</param>
    /// <param name="range">How help states the range, when <c>min to max</c> reads badly (e.g. <c>1 to 2^63 − 1</c>).</param>
    public static Option<T?> OptionalInteger<T>(string name, string valueName, string description, T min, T max, string? range = null)
        where T : struct, IBinaryInteger<T> =>
        new(name)
        {
            HelpName = valueName,
            Description = $"{description} Range: {range ?? RangeText(min, max)}.",
            CustomParser = result => ParseInteger(result, name, min, max),
        };

    /// <summary>A word from <paramref name="choices"/>, in any case, given back in the spelling listed.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="description">What it does; help lists the choices as the value's placeholder.</param>
    /// <param name="choices">The accepted words, as help and completion list them.</param>
    /// <param name="defaultValue">The word used when the option is absent.</param>
    public static Option<string> Choice(string name, string description, IReadOnlyList<string> choices, string defaultValue)
    {
        var option = new Option<string>(name)
        {
            HelpName = string.Join('|', choices),
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return defaultValue; // the parser has already reported the missing value
                }

                string text = result.Tokens[0].Value;
                string? match = choices.FirstOrDefault(choice => string.Equals(choice, text, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    result.AddError($"{name} must be {Prose.List([.. choices.Select(c => $"'{c}'")], "or")}, not '{text}'.");
                }

                return match ?? defaultValue;
            },
        };
        option.CompletionSources.Add([.. choices]);
        return option;
    }

    /// <summary>An Ethereum address option: <c>0x</c> and 40 hex digits.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="description">What the address is.</param>
    /// <param name="defaultValue">The address used when the option is absent.</param>
    public static Option<Address> Address(string name, string description, string defaultValue)
    {
        Primitives.Address fallback = Primitives.Address.Parse(defaultValue);
        return new Option<Address>(name)
        {
            HelpName = "ADDRESS",
            Description = description,
            DefaultValueFactory = _ => fallback,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return fallback; // the parser has already reported the missing value
                }

                string text = result.Tokens[0].Value;
                if (Primitives.Address.TryParse(text, out Address address))
                {
                    return address;
                }

                result.AddError($"{name} must be an address (0x and 40 hex digits), not '{text}'.");
                return fallback;
            },
        };
    }

    private static T? ParseInteger<T>(ArgumentResult result, string name, T min, T max)
        where T : struct, IBinaryInteger<T>
    {
        if (result.Tokens.Count == 0)
        {
            return null; // the parser has already reported the missing value
        }

        string text = result.Tokens[0].Value;
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError($"{name} must be an integer from {RangeText(min, max)}, not '{text}'.");
        return null;
    }

    private static string RangeText<T>(T min, T max)
        where T : struct, IBinaryInteger<T> =>
        string.Create(CultureInfo.InvariantCulture, $"{min:N0} to {max:N0}");
}
