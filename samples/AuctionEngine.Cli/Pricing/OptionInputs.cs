using System.Globalization;
using AuctionEngine.Options;

namespace AuctionEngine.Cli.Pricing;

/// <summary>Which model <c>auction option</c> prices with.</summary>
internal enum PricingModel
{
    /// <summary>Black-Scholes-Merton on a spot (<c>bs</c>): spot, rate, yield.</summary>
    BlackScholes,

    /// <summary>Black-76 on a forward (<c>black76</c>): forward, discount.</summary>
    Black76,
}

/// <summary>
/// One option's inputs as given, each possibly absent: from the command line, or from a CSV row with the command
/// line's values standing in for its missing columns and empty fields.
/// </summary>
internal struct OptionInputs
{
    public PricingModel? Model;
    public OptionType? Type;
    public double? Spot;
    public double? Forward;
    public double? Strike;
    public double? Years;
    public double? Volatility;
    public double? Price;
    public double? Rate;
    public double? Yield;
    public double? Discount;

    /// <summary>The names inputs go by: <c>--vol</c> on the command line, <c>vol</c> as a column.</summary>
    public static readonly string[] Names = ["model", "type", "spot", "forward", "strike", "years", "vol", "price", "rate", "yield", "discount"];

    /// <summary>These inputs, with <paramref name="defaults"/>' values wherever these have none.</summary>
    public readonly OptionInputs Or(in OptionInputs defaults) => new()
    {
        Model = Model ?? defaults.Model,
        Type = Type ?? defaults.Type,
        Spot = Spot ?? defaults.Spot,
        Forward = Forward ?? defaults.Forward,
        Strike = Strike ?? defaults.Strike,
        Years = Years ?? defaults.Years,
        Volatility = Volatility ?? defaults.Volatility,
        Price = Price ?? defaults.Price,
        Rate = Rate ?? defaults.Rate,
        Yield = Yield ?? defaults.Yield,
        Discount = Discount ?? defaults.Discount,
    };

    /// <summary>
    /// Prices the option, or solves for its implied volatility, writing one JSON object to <paramref name="json"/>.
    /// </summary>
    /// <param name="impliedVolatility">Solve for the volatility from the price, rather than price from the volatility.</param>
    /// <param name="json">Receives the result.</param>
    /// <param name="prefix">How a name is written in a message: <c>--</c> on the command line, nothing for a column.</param>
    /// <returns>Null, or why this option cannot be evaluated (a value missing, extra, or out of the model's range), naming the input.</returns>
    public readonly string? Evaluate(bool impliedVolatility, OptionJsonWriter json, string prefix)
    {
        PricingModel model = Model ?? PricingModel.BlackScholes;
        if (Type is not OptionType type)
        {
            return $"{prefix}type is needed (call or put)";
        }

        bool spotModel = model == PricingModel.BlackScholes;
        string? missing = Strike is null ? "strike"
            : Years is null ? "years"
            : spotModel && Spot is null ? "spot"
            : !spotModel && Forward is null ? "forward"
            : impliedVolatility && Price is null ? "price"
            : !impliedVolatility && Volatility is null ? "vol"
            : null;
        if (missing is not null)
        {
            return $"{prefix}{missing} is needed{(missing is "spot" or "forward" ? $" with the model {ModelName(model)}" : "")}";
        }

        string? extra = spotModel ? (Forward is not null ? "forward" : Discount is not null ? "discount" : null)
            : Spot is not null ? "spot" : Rate is not null ? "rate" : Yield is not null ? "yield" : null;
        if (extra is not null)
        {
            return $"{prefix}{extra} does not apply to the model {ModelName(model)}, which takes {(spotModel ? $"{prefix}spot, {prefix}rate and {prefix}yield" : $"{prefix}forward and {prefix}discount")}";
        }

        if ((impliedVolatility ? Volatility : Price) is not null)
        {
            return impliedVolatility ? $"{prefix}vol is what iv solves for; give {prefix}price" : $"{prefix}price is for iv; price takes {prefix}vol";
        }

        // Every value the model needs was checked above; an absent optional one takes its default.
        double strike = Strike.GetValueOrDefault(), years = Years.GetValueOrDefault();
        double spot = Spot.GetValueOrDefault(), forward = Forward.GetValueOrDefault();
        try
        {
            if (impliedVolatility)
            {
                json.Write(spotModel
                    ? BlackScholes.ImpliedVolatility(type, Price.GetValueOrDefault(), spot, strike, years, Rate ?? 0, Yield ?? 0)
                    : Black76.ImpliedVolatility(type, Price.GetValueOrDefault(), forward, strike, years, Discount ?? 1));
            }
            else
            {
                json.Write(spotModel
                    ? BlackScholes.Value(type, spot, strike, years, Volatility.GetValueOrDefault(), Rate ?? 0, Yield ?? 0)
                    : Black76.Value(type, forward, strike, years, Volatility.GetValueOrDefault(), Discount ?? 1));
            }

            return null;
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The library names the parameter; the user knows it by the CLI's name for it.
            string name = e.ParamName switch
            {
                "volatility" => "vol",
                "discountFactor" => "discount",
                { } other => other,
                null => "input",
            };
            return string.Create(CultureInfo.InvariantCulture, $"{prefix}{name} {Rule(name)}, not {e.ActualValue}");
        }
    }

    public static string ModelName(PricingModel model) => model == PricingModel.BlackScholes ? "bs" : "black76";

    private static string Rule(string name) => name switch
    {
        "rate" or "yield" => "must be a finite number",
        "discount" => "must be a finite number greater than zero",
        "price" => "must be a number",
        _ => "must be a finite number, zero or more",
    };
}
