namespace AuctionEngine.Options;

/// <summary>A log-moneyness where total variance falls from one expiry to a later one: the later option would be worth less than the earlier.</summary>
/// <param name="EarlierYears">The earlier expiry.</param>
/// <param name="LaterYears">The later expiry.</param>
/// <param name="LogMoneyness">Where, as ln(strike / forward).</param>
/// <param name="EarlierTotalVariance">The earlier smile's total variance there.</param>
/// <param name="LaterTotalVariance">The later smile's total variance there, smaller.</param>
public readonly record struct CalendarArbitrage(double EarlierYears, double LaterYears, double LogMoneyness, double EarlierTotalVariance, double LaterTotalVariance);
