using System.Runtime.CompilerServices;
using AuctionEngine.Options.Internal;

namespace AuctionEngine.Options;

/// <summary>
/// The Black-Scholes-Merton model of a European option on a spot underlying that pays a continuous yield (a dividend
/// yield, a borrow rate, or a foreign interest rate): value and analytic Greeks, one option at a time or a million
/// from columns.
/// </summary>
/// <remarks>
/// <para>
/// With F = S·e^((r−q)T), D = e^(−rT), d1,2 = (ln(S/K) + (r − q)T)/(σ√T) ± σ√T/2: a call is worth
/// D·(F·N(d1) − K·N(d2)) and a put D·(K·N(−d2) − F·N(−d1)). Delta, gamma and vanna are with respect to the spot;
/// theta is ∂V/∂t per year with S, r, q and σ fixed; rho is ∂V/∂r with S and q fixed.
/// </para>
/// <para>
/// Every finite input in range gives a finite answer or an exact infinite limit, never NaN: at zero time or zero
/// volatility the price is the discounted intrinsic value of the forward; a zero strike makes a call worth S·e^(−qT)
/// and a put nothing; a zero spot makes a put worth K·e^(−rT); from a total volatility σ√T of
/// <see cref="Black76.MaxTotalVolatility"/> the price is its limit as volatility grows without bound (a call
/// S·e^(−qT), a put K·e^(−rT)), as Derive's Black-76 caps it. Those limits are described on
/// <see cref="OptionValuation"/>. Rates whose discount factor e^(−rT) overflows a double are out of scope.
/// </para>
/// </remarks>
public static class BlackScholes
{
    /// <summary>The value of a European option.</summary>
    /// <param name="type">Call or put.</param>
    /// <param name="spot">The underlying's spot price S, zero or more.</param>
    /// <param name="strike">The strike K, zero or more.</param>
    /// <param name="years">Time to expiry T in years, zero or more (<see cref="OptionTime"/> converts block time).</param>
    /// <param name="volatility">The volatility σ per √year, as a fraction (0.2 for 20%), zero or more.</param>
    /// <param name="rate">The continuously compounded risk-free rate r, as a fraction per year.</param>
    /// <param name="yield">The continuously compounded dividend or borrow yield q, as a fraction per year.</param>
    /// <returns>The option's value in the currency of the strike.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="type"/> is not a defined <see cref="OptionType"/>; <paramref name="spot"/>,
    /// <paramref name="strike"/>, <paramref name="years"/> or <paramref name="volatility"/> is negative, infinite or
    /// NaN; or <paramref name="rate"/> or <paramref name="yield"/> is infinite or NaN.
    /// </exception>
    public static double Price(OptionType type, double spot, double strike, double years, double volatility, double rate = 0.0, double yield = 0.0) =>
        Value(type, spot, strike, years, volatility, rate, yield).Price;

    /// <summary>The value of a European option and all its Greeks.</summary>
    /// <param name="type">Call or put.</param>
    /// <param name="spot">The underlying's spot price S, zero or more.</param>
    /// <param name="strike">The strike K, zero or more.</param>
    /// <param name="years">Time to expiry T in years, zero or more (<see cref="OptionTime"/> converts block time).</param>
    /// <param name="volatility">The volatility σ per √year, as a fraction (0.2 for 20%), zero or more.</param>
    /// <param name="rate">The continuously compounded risk-free rate r, as a fraction per year.</param>
    /// <param name="yield">The continuously compounded dividend or borrow yield q, as a fraction per year.</param>
    /// <returns>The value, and delta, gamma and vanna with respect to the spot; vega and volga per 1.00 of volatility; theta per year; rho per 1.00 of rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="type"/> is not a defined <see cref="OptionType"/>; <paramref name="spot"/>,
    /// <paramref name="strike"/>, <paramref name="years"/> or <paramref name="volatility"/> is negative, infinite or
    /// NaN; or <paramref name="rate"/> or <paramref name="yield"/> is infinite or NaN.
    /// </exception>
    public static OptionValuation Value(OptionType type, double spot, double strike, double years, double volatility, double rate = 0.0, double yield = 0.0)
    {
        if (!IsValid(type, spot, strike, years, volatility, rate, yield))
        {
            ThrowHelper.ThrowArgumentOutOfRange_BlackScholesInput(type, spot, strike, years, volatility, rate, yield, index: -1);
        }

        return Evaluate(type == OptionType.Call, spot, strike, years, volatility, rate, yield);
    }

    /// <summary>
    /// Values many options given as columns (one span per input, element i of each describing option i), writing one
    /// <see cref="OptionValuation"/> per option. Allocates nothing.
    /// </summary>
    /// <param name="types">Call or put, per option.</param>
    /// <param name="spots">The underlying's spot price, per option.</param>
    /// <param name="strikes">The strike, per option.</param>
    /// <param name="years">Time to expiry in years, per option.</param>
    /// <param name="volatilities">The volatility per √year, per option.</param>
    /// <param name="rates">The continuously compounded risk-free rate, per option.</param>
    /// <param name="yields">The continuously compounded dividend or borrow yield, per option.</param>
    /// <param name="destination">Receives option i's value and Greeks at index i; at least as long as the inputs.</param>
    /// <exception cref="ArgumentException">The input spans differ in length, or <paramref name="destination"/> is shorter than they are.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An option's input is out of range (as for <see cref="Value(OptionType, double, double, double, double, double, double)"/>);
    /// the message names its index. The options before it have been written; the rest of <paramref name="destination"/> is unchanged.
    /// </exception>
    public static void ValueMany(
        ReadOnlySpan<OptionType> types,
        ReadOnlySpan<double> spots,
        ReadOnlySpan<double> strikes,
        ReadOnlySpan<double> years,
        ReadOnlySpan<double> volatilities,
        ReadOnlySpan<double> rates,
        ReadOnlySpan<double> yields,
        Span<OptionValuation> destination)
    {
        int count = types.Length;
        if (spots.Length != count || strikes.Length != count || years.Length != count || volatilities.Length != count || rates.Length != count || yields.Length != count)
        {
            ThrowHelper.ThrowArgumentException_OptionColumnLengths(nameof(spots));
        }

        if (destination.Length < count)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(destination));
        }

        for (int i = 0; i < count; i++)
        {
            OptionType type = types[i];
            double spot = spots[i], strike = strikes[i], time = years[i], volatility = volatilities[i], rate = rates[i], yield = yields[i];
            if (!IsValid(type, spot, strike, time, volatility, rate, yield))
            {
                ThrowHelper.ThrowArgumentOutOfRange_BlackScholesInput(type, spot, strike, time, volatility, rate, yield, i);
            }

            destination[i] = Evaluate(type == OptionType.Call, spot, strike, time, volatility, rate, yield);
        }
    }

    /// <summary>
    /// The volatility at which the model gives <paramref name="price"/>, to machine precision, or why there is none.
    /// Never throws for a price outside the arbitrage bounds and never returns NaN: the result's status says which bound it broke.
    /// </summary>
    /// <param name="type">Call or put.</param>
    /// <param name="price">The option's price, in the currency of the strike.</param>
    /// <param name="spot">The underlying's spot price S, zero or more.</param>
    /// <param name="strike">The strike K, zero or more.</param>
    /// <param name="years">Time to expiry T in years, zero or more.</param>
    /// <param name="rate">The continuously compounded risk-free rate r, as a fraction per year.</param>
    /// <param name="yield">The continuously compounded dividend or borrow yield q, as a fraction per year.</param>
    /// <returns>The implied volatility per √year, or the reason there is none.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="price"/> is NaN; or an input is out of range as for
    /// <see cref="Value(OptionType, double, double, double, double, double, double)"/>.
    /// </exception>
    public static ImpliedVolatilityResult ImpliedVolatility(OptionType type, double price, double spot, double strike, double years, double rate = 0.0, double yield = 0.0)
    {
        if (double.IsNaN(price) || !IsValid(type, spot, strike, years, 0.0, rate, yield))
        {
            ThrowHelper.ThrowArgumentOutOfRange_BlackScholesImpliedVolatilityInput(price, type, spot, strike, years, rate, yield, index: -1);
        }

        return Solve(type == OptionType.Call, price, spot, strike, years, rate, yield);
    }

    /// <summary>
    /// Implied volatilities of many options given as columns (element i of each span describing option i), writing one
    /// result per option. Allocates nothing.
    /// </summary>
    /// <param name="types">Call or put, per option.</param>
    /// <param name="prices">The option's price, per option.</param>
    /// <param name="spots">The underlying's spot price, per option.</param>
    /// <param name="strikes">The strike, per option.</param>
    /// <param name="years">Time to expiry in years, per option.</param>
    /// <param name="rates">The continuously compounded risk-free rate, per option.</param>
    /// <param name="yields">The continuously compounded dividend or borrow yield, per option.</param>
    /// <param name="destination">Receives option i's result at index i; at least as long as the inputs.</param>
    /// <exception cref="ArgumentException">The input spans differ in length, or <paramref name="destination"/> is shorter than they are.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An option's input is out of range (as for <see cref="ImpliedVolatility(OptionType, double, double, double, double, double, double)"/>);
    /// the message names its index. The options before it have been written; the rest of <paramref name="destination"/> is unchanged.
    /// </exception>
    public static void ImpliedVolatilityMany(
        ReadOnlySpan<OptionType> types,
        ReadOnlySpan<double> prices,
        ReadOnlySpan<double> spots,
        ReadOnlySpan<double> strikes,
        ReadOnlySpan<double> years,
        ReadOnlySpan<double> rates,
        ReadOnlySpan<double> yields,
        Span<ImpliedVolatilityResult> destination)
    {
        int count = types.Length;
        if (prices.Length != count || spots.Length != count || strikes.Length != count || years.Length != count || rates.Length != count || yields.Length != count)
        {
            ThrowHelper.ThrowArgumentException_OptionColumnLengths(nameof(prices));
        }

        if (destination.Length < count)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(destination));
        }

        for (int i = 0; i < count; i++)
        {
            OptionType type = types[i];
            double price = prices[i], spot = spots[i], strike = strikes[i], time = years[i], rate = rates[i], yield = yields[i];
            if (double.IsNaN(price) || !IsValid(type, spot, strike, time, 0.0, rate, yield))
            {
                ThrowHelper.ThrowArgumentOutOfRange_BlackScholesImpliedVolatilityInput(price, type, spot, strike, time, rate, yield, i);
            }

            destination[i] = Solve(type == OptionType.Call, price, spot, strike, time, rate, yield);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ImpliedVolatilityResult Solve(bool isCall, double price, double spot, double strike, double years, double rate, double yield)
    {
        double logMoneyness = BlackKernel.LogRatio(spot, strike) + (rate - yield) * years;
        return ImpliedVolatilitySolver.Solve(isCall, price, spot * Math.Exp(-yield * years), strike * Math.Exp(-rate * years), logMoneyness, years);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsValid(OptionType type, double spot, double strike, double years, double volatility, double rate, double yield) =>
        (uint)type <= (uint)OptionType.Put
        && spot >= 0 && spot < double.PositiveInfinity
        && strike >= 0 && strike < double.PositiveInfinity
        && years >= 0 && years < double.PositiveInfinity
        && volatility >= 0 && volatility < double.PositiveInfinity
        && double.IsFinite(rate) && double.IsFinite(yield);

    /// <summary>The model on validated inputs: the Black kernel on the discounted spot and strike.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static OptionValuation Evaluate(bool isCall, double spot, double strike, double years, double volatility, double rate, double yield)
    {
        double yieldDiscount = Math.Exp(-yield * years);
        double discountedForward = spot * yieldDiscount;
        double logMoneyness = BlackKernel.LogRatio(spot, strike) + (rate - yield) * years;
        BlackFactors factors = BlackKernel.Evaluate(isCall, discountedForward, strike * Math.Exp(-rate * years), logMoneyness, years, Math.Sqrt(years), volatility);
        double gamma = factors.GammaFactor == 0 ? 0.0 : yieldDiscount * factors.GammaFactor / spot; // a zero spot has no gamma
        return new OptionValuation(
            Price: factors.Price,
            Delta: yieldDiscount * factors.DeltaFactor,
            Gamma: gamma,
            Vega: factors.Vega,
            Theta: rate * factors.Price - factors.Decay - (rate - yield) * discountedForward * factors.DeltaFactor, // the forward drifts as time passes
            Rho: years * (discountedForward * factors.DeltaFactor - factors.Price), // the forward and the discount both move with r
            Vanna: yieldDiscount * factors.VannaFactor,
            Volga: factors.Volga);
    }
}
