using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AuctionEngine.Cli.Clear;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Pricing;
using AuctionEngine.Options;

namespace AuctionEngine.Cli.Commands;

/// <summary>
/// <c>auction option price|iv</c>: values an option with its Greeks, or solves for its implied volatility, with
/// Black-Scholes-Merton on a spot or Black-76 on a forward; one option from the command line, or one per row of a CSV
/// file.
/// </summary>
internal static class OptionCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "option";

    /// <summary>The command and its two subcommands, writing to <paramref name="console"/>.</summary>
    public static Command Create(CliConsole console)
    {
        var command = new Command(Name, "Price options with their Greeks, or solve for implied volatility: one option from the command line, or a CSV file of them.");
        command.Add(Subcommand(console, "price", impliedVolatility: false));
        command.Add(Subcommand(console, "iv", impliedVolatility: true));
        return command;
    }

    private static Command Subcommand(CliConsole console, string name, bool impliedVolatility)
    {
        Option<string> model = CliOptions.Choice("--model", "The model: bs (Black-Scholes-Merton on a spot, with --rate and --yield) or black76 (Black-76 on a forward, with --discount).", ["bs", "black76"], "bs");
        Option<string?> type = WordOption("--type", "Call or put; needed unless every row of --input has it.", ["call", "put"]);
        Option<double?> spot = NumberOption("--spot", "S", "bs: the underlying's spot price, zero or more.");
        Option<double?> forward = NumberOption("--forward", "F", "black76: the forward price to expiry, zero or more.");
        Option<double?> strike = NumberOption("--strike", "K", "The strike, zero or more.");
        Option<double?> years = NumberOption("--years", "T", "Time to expiry in years of 365 days (seconds / 31,536,000), zero or more.");
        Option<double?> volatility = NumberOption("--vol", "V", "The volatility per √year as a fraction (0.2 for 20%), zero or more.");
        Option<double?> price = NumberOption("--price", "P", "The option's price, whose implied volatility to find.");
        Option<double?> rate = NumberOption("--rate", "R", "bs: the continuously compounded risk-free rate as a fraction per year. Default: 0.");
        Option<double?> yield = NumberOption("--yield", "Q", "bs: the continuously compounded dividend or borrow yield as a fraction per year. Default: 0.");
        Option<double?> discount = NumberOption("--discount", "D", "black76: the discount factor from expiry to today, greater than zero. Default: 1.");
        var input = new Option<string?>("--input")
        {
            HelpName = "FILE.csv",
            Description = "Evaluate every row of a CSV file instead: a header naming columns as the options are named (model,type,spot,forward,strike,years,"
                + (impliedVolatility ? "price" : "vol") + ",rate,yield,discount, any of them, in any order and case), then one option per row. An absent column or an empty field takes the command line's value. Writes one JSON line per row, in order.",
        };

        var command = new Command(name, impliedVolatility
            ? "Solve for the implied volatility that gives --price: prints {\"vol\"}, or {\"vol\": null, \"reason\"} when the price is outside the arbitrage bounds (belowIntrinsicValue, atOrAboveMaximumValue) or does not depend on volatility (indeterminate)."
            : "Value an option and its Greeks: prints {\"price\",\"delta\",\"gamma\",\"vega\",\"theta\",\"rho\",\"vanna\",\"volga\"} (vega and volga per 1.00 of volatility, theta per year, rho per 1.00 of rate).")
        {
            model, type, spot, forward, strike, years, impliedVolatility ? price : volatility, rate, yield, discount, input,
        };
        command.SetAction(parsed =>
        {
            string? typeName = parsed.GetValue(type);
            var given = new OptionInputs
            {
                Model = parsed.GetRequiredValue(model) == "black76" ? PricingModel.Black76 : PricingModel.BlackScholes,
                Type = typeName is null ? null : typeName == "call" ? OptionType.Call : OptionType.Put,
                Spot = parsed.GetValue(spot),
                Forward = parsed.GetValue(forward),
                Strike = parsed.GetValue(strike),
                Years = parsed.GetValue(years),
                Volatility = impliedVolatility ? null : parsed.GetValue(volatility),
                Price = impliedVolatility ? parsed.GetValue(price) : null,
                Rate = parsed.GetValue(rate),
                Yield = parsed.GetValue(yield),
                Discount = parsed.GetValue(discount),
            };
            string path = $"{AuctionCli.Name} {Name} {name}";
            using Stream output = console.OpenOutput();
            using var json = new OptionJsonWriter(output);
            if (parsed.GetValue(input) is not { } file)
            {
                if (given.Evaluate(impliedVolatility, json, prefix: "--") is not { } problem)
                {
                    return ExitCodes.Success;
                }

                console.Error.WriteLine($"{path}: {problem}");
                console.Error.WriteLine($"see '{path} --help'");
                return ExitCodes.UsageError;
            }

            try
            {
                OptionFileRunner.Run(file, impliedVolatility, given, json);
                return ExitCodes.Success;
            }
            catch (OrderFileException e)
            {
                json.Flush();
                console.Error.WriteLine($"{path}: {e.Message}");
                return ExitCodes.InputError;
            }
        });
        return command;
    }

    /// <summary>A number option, null when absent; anything but a finite number is refused with the option's name.</summary>
    private static Option<double?> NumberOption(string name, string valueName, string description) =>
        new(name)
        {
            HelpName = valueName,
            Description = description,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return null; // the parser has already reported the missing value
                }

                string text = result.Tokens[0].Value;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
                {
                    return value;
                }

                result.AddError($"{name} must be a finite number, not '{text}'.");
                return null;
            },
        };

    /// <summary>A word from <paramref name="choices"/> in any case, null when absent.</summary>
    private static Option<string?> WordOption(string name, string description, string[] choices)
    {
        var option = new Option<string?>(name)
        {
            HelpName = string.Join('|', choices),
            Description = description,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return null;
                }

                string text = result.Tokens[0].Value;
                string? match = choices.FirstOrDefault(choice => string.Equals(choice, text, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    result.AddError($"{name} must be {string.Join(" or ", choices.Select(c => $"'{c}'"))}, not '{text}'.");
                }

                return match;
            },
        };
        option.CompletionSources.Add(choices);
        return option;
    }
}
