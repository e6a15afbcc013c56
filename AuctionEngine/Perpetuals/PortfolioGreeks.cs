namespace AuctionEngine.Perpetuals;

/// <summary>
/// An account's sensitivities to one underlying, aggregated over its perpetual position and its option positions on
/// that underlying (Black-76 on the oracle with each series' volatility), in the underlying's units.
/// </summary>
/// <param name="Delta">Underlying lots: the perpetual's lots plus Σ lots × contract size × ∂V/∂F.</param>
/// <param name="Gamma">Underlying lots per tick of the underlying's price: Σ lots × contract size × ∂²V/∂F².</param>
/// <param name="Vega">Quote atoms per 1.00 of volatility: Σ lots × contract size × underlying tick size × ∂V/∂σ.</param>
/// <param name="Theta">Quote atoms per year: Σ lots × contract size × underlying tick size × ∂V/∂t.</param>
public readonly record struct PortfolioGreeks(double Delta, double Gamma, double Vega, double Theta);
