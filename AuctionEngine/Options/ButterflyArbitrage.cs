namespace AuctionEngine.Options;

/// <summary>A strike where one smile implies a negative density: butterfly spreads around it would be worth less than nothing.</summary>
/// <param name="Years">The smile's time to expiry.</param>
/// <param name="LogMoneyness">Where, as ln(strike / forward).</param>
/// <param name="Density">Gatheral's g(k) there, negative (<see cref="double.NegativeInfinity"/> where total variance is not positive).</param>
public readonly record struct ButterflyArbitrage(double Years, double LogMoneyness, double Density);
