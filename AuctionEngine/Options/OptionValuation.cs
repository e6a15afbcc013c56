namespace AuctionEngine.Options;

/// <summary>
/// An option's value and its sensitivities, all in the units of the inputs: price in the currency of the strike,
/// derivatives per unit of the underlying (the spot for Black-Scholes-Merton, the forward for Black-76), per 1.00 of
/// volatility (not per percentage point), per year of time and per 1.00 of rate.
/// </summary>
/// <param name="Price">The option's value today.</param>
/// <param name="Delta">∂price/∂underlying.</param>
/// <param name="Gamma">∂²price/∂underlying²; <see cref="double.PositiveInfinity"/> exactly at the money with no volatility or no time left, where delta steps.</param>
/// <param name="Vega">∂price/∂volatility, per 1.00 of volatility (divide by 100 for one volatility point).</param>
/// <param name="Theta">
/// ∂price/∂t as calendar time passes, per year (−∂price/∂years; divide by 365 for one day). Negative infinity exactly
/// at the money at expiry with a positive volatility.
/// </param>
/// <param name="Rho">∂price/∂rate, per 1.00 of the continuously compounded rate, the underlying's spot (or forward) held fixed.</param>
/// <param name="Vanna">∂²price/∂underlying∂volatility (equally ∂delta/∂volatility and ∂vega/∂underlying).</param>
/// <param name="Volga">∂²price/∂volatility² (also called vomma), per 1.00 of volatility squared.</param>
public readonly record struct OptionValuation(
    double Price,
    double Delta,
    double Gamma,
    double Vega,
    double Theta,
    double Rho,
    double Vanna,
    double Volga);
