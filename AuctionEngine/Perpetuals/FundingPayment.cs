namespace AuctionEngine.Perpetuals;

/// <summary>One market's funding at the end of an interval.</summary>
/// <param name="MarketIndex">The market.</param>
/// <param name="RatePpm">The rate: the average premium of the interval's cleared blocks, clamped to ± the cap; positive when longs pay shorts.</param>
/// <param name="PaidPerLot">Quote atoms each lot of the paying side pays (the exact amount rounded up).</param>
/// <param name="ReceivedPerLot">Quote atoms each lot of the receiving side receives (the exact amount rounded down).</param>
/// <param name="ToInsuranceFund">The rounding remainder, <c>(PaidPerLot − ReceivedPerLot) × open interest</c>, credited to the insurance fund.</param>
public readonly record struct FundingPayment(int MarketIndex, long RatePpm, Int128 PaidPerLot, Int128 ReceivedPerLot, Int128 ToInsuranceFund);
