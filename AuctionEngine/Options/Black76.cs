using System.Runtime.CompilerServices;
using AuctionEngine.Options.Internal;

namespace AuctionEngine.Options;

/// <summary>
/// The Black-76 model of a European option on a forward (or a future, or a perpetual's mark treated as one): value and
/// analytic Greeks, one option at a time or a million from columns. This is the model Derive (Lyra) prices with.
/// </summary>
/// <remarks>
/// <para>
/// With d1,2 = ln(F/K)/(σ√T) ± σ√T/2: a call is worth D·(F·N(d1) − K·N(d2)) and a put D·(K·N(−d2) − F·N(−d1)), D
/// being the discount factor to expiry. Delta, gamma and vanna are with respect to the forward. Theta is ∂V/∂t per
/// year with F, σ and the rate r = −ln(D)/T fixed (so D rises towards 1 as time passes); rho is ∂V/∂r = −T·V with F
/// fixed.
/// </para>
/// <para>
/// Every finite input in range gives a finite answer or an exact infinite limit, never NaN: at zero time or zero
/// volatility the price is D·max(F − K, 0) for a call and D·max(K − F, 0) for a put; a zero strike makes a call worth
/// D·F and a put nothing; a zero forward makes a put worth D·K; from a total volatility σ√T of
/// <see cref="MaxTotalVolatility"/> the price is its limit as volatility grows without bound (a call D·F, a put D·K),
/// as Derive's Black76 caps it.
/// </para>
/// </remarks>
public static class Black76
{
    /// <summary>
    /// The total volatility σ√T (24.0, Derive's <c>MAX_TOTAL_VOL</c>) from which both models return the price's limit as
    /// volatility grows without bound. Up to |ln(F/K)| = 88 the formula there is within an ulp of that limit.
    /// </summary>
    public const double MaxTotalVolatility = BlackKernel.MaxTotalVolatility;

    /// <summary>The value of a European option on a forward.</summary>
    /// <param name="type">Call or put.</param>
    /// <param name="forward">The forward price F to expiry, zero or more.</param>
    /// <param name="strike">The strike K, zero or more.</param>
    /// <param name="years">Time to expiry T in years, zero or more (<see cref="OptionTime"/> converts block time).</param>
    /// <param name="volatility">The volatility σ per √year, as a fraction (0.2 for 20%), zero or more.</param>
    /// <param name="discountFactor">The discount factor D from expiry to today, greater than zero (1 for no discounting).</param>
    /// <returns>The option's value in the currency of the strike.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="type"/> is not a defined <see cref="OptionType"/>; <paramref name="forward"/>,
    /// <paramref name="strike"/>, <paramref name="years"/> or <paramref name="volatility"/> is negative, infinite or
    /// NaN; or <paramref name="discountFactor"/> is not a finite number greater than zero.
    /// </exception>
    public static double Price(OptionType type, double forward, double strike, double years, double volatility, double discountFactor = 1.0) =>
        Value(type, forward, strike, years, volatility, discountFactor).Price;

    /// <summary>The value of a European option on a forward and all its Greeks.</summary>
    /// <param name="type">Call or put.</param>
    /// <param name="forward">The forward price F to expiry, zero or more.</param>
    /// <param name="strike">The strike K, zero or more.</param>
    /// <param name="years">Time to expiry T in years, zero or more (<see cref="OptionTime"/> converts block time).</param>
    /// <param name="volatility">The volatility σ per √year, as a fraction (0.2 for 20%), zero or more.</param>
    /// <param name="discountFactor">The discount factor D from expiry to today, greater than zero (1 for no discounting).</param>
    /// <returns>The value, and delta, gamma and vanna with respect to the forward; vega and volga per 1.00 of volatility; theta per year; rho per 1.00 of rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="type"/> is not a defined <see cref="OptionType"/>; <paramref name="forward"/>,
    /// <paramref name="strike"/>, <paramref name="years"/> or <paramref name="volatility"/> is negative, infinite or
    /// NaN; or <paramref name="discountFactor"/> is not a finite number greater than zero.
    /// </exception>
    public static OptionValuation Value(OptionType type, double forward, double strike, double years, double volatility, double discountFactor = 1.0)
    {
        if (!IsValid(type, forward, strike, years, volatility, discountFactor))
        {
            ThrowHelper.ThrowArgumentOutOfRange_Black76Input(type, forward, strike, years, volatility, discountFactor, index: -1);
        }

        return Evaluate(type == OptionType.Call, forward, strike, years, volatility, discountFactor);
    }

    /// <summary>
    /// Values many options on forwards given as columns (one span per input, element i of each describing option i),
    /// writing one <see cref="OptionValuation"/> per option. Allocates nothing.
    /// </summary>
    /// <param name="types">Call or put, per option.</param>
    /// <param name="forwards">The forward price, per option.</param>
    /// <param name="strikes">The strike, per option.</param>
    /// <param name="years">Time to expiry in years, per option.</param>
    /// <param name="volatilities">The volatility per √year, per option.</param>
    /// <param name="discountFactors">The discount factor from expiry to today, per option.</param>
    /// <param name="destination">Receives option i's value and Greeks at index i; at least as long as the inputs.</param>
    /// <exception cref="ArgumentException">The input spans differ in length, or <paramref name="destination"/> is shorter than they are.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An option's input is out of range (as for <see cref="Value(OptionType, double, double, double, double, double)"/>);
    /// the message names its index. The options before it have been written; the rest of <paramref name="destination"/> is unchanged.
    /// </exception>
    public static void ValueMany(
        ReadOnlySpan<OptionType> types,
        ReadOnlySpan<double> forwards,
        ReadOnlySpan<double> strikes,
        ReadOnlySpan<double> years,
        ReadOnlySpan<double> volatilities,
        ReadOnlySpan<double> discountFactors,
        Span<OptionValuation> destination)
    {
        int count = types.Length;
        if (forwards.Length != count || strikes.Length != count || years.Length != count || volatilities.Length != count || discountFactors.Length != count)
        {
            ThrowHelper.ThrowArgumentException_OptionColumnLengths(nameof(forwards));
        }

        if (destination.Length < count)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(destination));
        }

        for (int i = 0; i < count; i++)
        {
            OptionType type = types[i];
            double forward = forwards[i], strike = strikes[i], time = years[i], volatility = volatilities[i], discountFactor = discountFactors[i];
            if (!IsValid(type, forward, strike, time, volatility, discountFactor))
            {
                ThrowHelper.ThrowArgumentOutOfRange_Black76Input(type, forward, strike, time, volatility, discountFactor, i);
            }

            destination[i] = Evaluate(type == OptionType.Call, forward, strike, time, volatility, discountFactor);
        }
    }

    /// <summary>
    /// The volatility at which the model gives <paramref name="price"/>, to machine precision, or why there is none.
    /// Never throws for a price outside the arbitrage bounds and never returns NaN: the result's status says which bound it broke.
    /// </summary>
    /// <param name="type">Call or put.</param>
    /// <param name="price">The option's price, in the currency of the strike.</param>
    /// <param name="forward">The forward price F to expiry, zero or more.</param>
    /// <param name="strike">The strike K, zero or more.</param>
    /// <param name="years">Time to expiry T in years, zero or more.</param>
    /// <param name="discountFactor">The discount factor D from expiry to today, greater than zero.</param>
    /// <returns>The implied volatility per √year, or the reason there is none.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="price"/> is NaN; or an input is out of range as for
    /// <see cref="Value(OptionType, double, double, double, double, double)"/>.
    /// </exception>
    public static ImpliedVolatilityResult ImpliedVolatility(OptionType type, double price, double forward, double strike, double years, double discountFactor = 1.0)
    {
        if (double.IsNaN(price) || !IsValid(type, forward, strike, years, 0.0, discountFactor))
        {
            ThrowHelper.ThrowArgumentOutOfRange_Black76ImpliedVolatilityInput(price, type, forward, strike, years, discountFactor, index: -1);
        }

        return ImpliedVolatilitySolver.Solve(type == OptionType.Call, price, discountFactor * forward, discountFactor * strike, BlackKernel.LogRatio(forward, strike), years);
    }

    /// <summary>
    /// Implied volatilities of many options on forwards given as columns (element i of each span describing option i),
    /// writing one result per option. Allocates nothing.
    /// </summary>
    /// <param name="types">Call or put, per option.</param>
    /// <param name="prices">The option's price, per option.</param>
    /// <param name="forwards">The forward price, per option.</param>
    /// <param name="strikes">The strike, per option.</param>
    /// <param name="years">Time to expiry in years, per option.</param>
    /// <param name="discountFactors">The discount factor from expiry to today, per option.</param>
    /// <param name="destination">Receives option i's result at index i; at least as long as the inputs.</param>
    /// <exception cref="ArgumentException">The input spans differ in length, or <paramref name="destination"/> is shorter than they are.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An option's input is out of range (as for <see cref="ImpliedVolatility(OptionType, double, double, double, double, double)"/>);
    /// the message names its index. The options before it have been written; the rest of <paramref name="destination"/> is unchanged.
    /// </exception>
    public static void ImpliedVolatilityMany(
        ReadOnlySpan<OptionType> types,
        ReadOnlySpan<double> prices,
        ReadOnlySpan<double> forwards,
        ReadOnlySpan<double> strikes,
        ReadOnlySpan<double> years,
        ReadOnlySpan<double> discountFactors,
        Span<ImpliedVolatilityResult> destination)
    {
        int count = types.Length;
        if (prices.Length != count || forwards.Length != count || strikes.Length != count || years.Length != count || discountFactors.Length != count)
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
            double price = prices[i], forward = forwards[i], strike = strikes[i], time = years[i], discountFactor = discountFactors[i];
            if (double.IsNaN(price) || !IsValid(type, forward, strike, time, 0.0, discountFactor))
            {
                ThrowHelper.ThrowArgumentOutOfRange_Black76ImpliedVolatilityInput(price, type, forward, strike, time, discountFactor, i);
            }

            destination[i] = ImpliedVolatilitySolver.Solve(type == OptionType.Call, price, discountFactor * forward, discountFactor * strike, BlackKernel.LogRatio(forward, strike), time);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsValid(OptionType type, double forward, double strike, double years, double volatility, double discountFactor) =>
        (uint)type <= (uint)OptionType.Put
        && forward >= 0 && forward < double.PositiveInfinity
        && strike >= 0 && strike < double.PositiveInfinity
        && years >= 0 && years < double.PositiveInfinity
        && volatility >= 0 && volatility < double.PositiveInfinity
        && discountFactor > 0 && discountFactor < double.PositiveInfinity;

    /// <summary>The model on validated inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static OptionValuation Evaluate(bool isCall, double forward, double strike, double years, double volatility, double discountFactor)
    {
        BlackFactors factors = BlackKernel.Evaluate(isCall, discountFactor * forward, discountFactor * strike, BlackKernel.LogRatio(forward, strike), years, Math.Sqrt(years), volatility);
        double rate = years > 0 ? -Math.Log(discountFactor) / years : 0.0;
        return new OptionValuation(
            Price: factors.Price,
            Delta: discountFactor * factors.DeltaFactor,
            Gamma: factors.GammaFactor == 0 ? 0.0 : discountFactor * factors.GammaFactor / forward,
            Vega: factors.Vega,
            Theta: rate * factors.Price - factors.Decay,
            Rho: -years * factors.Price,
            Vanna: discountFactor * factors.VannaFactor,
            Volga: factors.Volga);
    }
}
