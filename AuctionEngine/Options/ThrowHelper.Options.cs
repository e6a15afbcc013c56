using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using AuctionEngine.Options;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_NegativeSeconds(long seconds, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, seconds, "A duration cannot be negative.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_OptionColumnLengths(string paramName) =>
        throw new ArgumentException("Every input column must hold one entry per option: the spans differ in length.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_BlackScholesInput(OptionType type, double spot, double strike, double years, double volatility, double rate, double yield, int index)
    {
        (string name, object value, string rule) = (uint)type > (uint)OptionType.Put ? ("type", type, "must be Call or Put")
            : !IsNonNegativeFinite(spot) ? ("spot", spot, NonNegativeFinite)
            : !IsNonNegativeFinite(strike) ? ("strike", strike, NonNegativeFinite)
            : !IsNonNegativeFinite(years) ? ("years", years, NonNegativeFinite)
            : !IsNonNegativeFinite(volatility) ? ("volatility", volatility, NonNegativeFinite)
            : !double.IsFinite(rate) ? ("rate", rate, "must be a finite number")
            : ("yield", (object)yield, "must be a finite number");
        throw OptionInput(name, value, rule, index);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_Black76Input(OptionType type, double forward, double strike, double years, double volatility, double discountFactor, int index)
    {
        (string name, object value, string rule) = (uint)type > (uint)OptionType.Put ? ("type", type, "must be Call or Put")
            : !IsNonNegativeFinite(forward) ? ("forward", forward, NonNegativeFinite)
            : !IsNonNegativeFinite(strike) ? ("strike", strike, NonNegativeFinite)
            : !IsNonNegativeFinite(years) ? ("years", years, NonNegativeFinite)
            : !IsNonNegativeFinite(volatility) ? ("volatility", volatility, NonNegativeFinite)
            : ("discountFactor", (object)discountFactor, "must be a finite number greater than zero");
        throw OptionInput(name, value, rule, index);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_BlackScholesImpliedVolatilityInput(double price, OptionType type, double spot, double strike, double years, double rate, double yield, int index)
    {
        if (double.IsNaN(price))
        {
            throw OptionInput("price", price, "must be a number", index);
        }

        ThrowArgumentOutOfRange_BlackScholesInput(type, spot, strike, years, 0.0, rate, yield, index);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_Black76ImpliedVolatilityInput(double price, OptionType type, double forward, double strike, double years, double discountFactor, int index)
    {
        if (double.IsNaN(price))
        {
            throw OptionInput("price", price, "must be a number", index);
        }

        ThrowArgumentOutOfRange_Black76Input(type, forward, strike, years, 0.0, discountFactor, index);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_TooFewQuotes(int quotes, string paramName) =>
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Fitting SVI takes at least {SviSmile.MinimumQuotes} quotes, one per parameter; got {quotes}."), paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_NoSmiles(string paramName) =>
        throw new ArgumentException("A volatility surface needs at least one smile.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_RepeatedExpiry(double years, string paramName) =>
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Two smiles share the expiry {years} years; a surface has one smile per expiry."), paramName);

    private const string NonNegativeFinite = "must be a finite number, zero or more";

    private static bool IsNonNegativeFinite(double value) => value >= 0 && value < double.PositiveInfinity;

    private static ArgumentOutOfRangeException OptionInput(string name, object value, string rule, int index) =>
        index < 0
            ? new ArgumentOutOfRangeException(name, value, $"The option's {name} {rule}.")
            : new ArgumentOutOfRangeException(name + "s", value, string.Create(CultureInfo.InvariantCulture, $"Option {index}'s {name} {rule}."));
}
