namespace AuctionEngine.Perpetuals;

/// <summary>What settling an expired option series moved.</summary>
/// <param name="MarketIndex">The series' market index in the engine.</param>
/// <param name="SettlementPrice">The underlying's settlement price, in its ticks.</param>
/// <param name="PayoffPerLot">The intrinsic value of one lot, in quote atoms: exact, no rounding.</param>
/// <param name="OpenInterest">The lots long (equal to the lots short) that settled.</param>
/// <param name="Paid">Quote atoms the shorts paid the longs: <see cref="PayoffPerLot"/> × <see cref="OpenInterest"/>.</param>
public readonly record struct SeriesSettlement(int MarketIndex, long SettlementPrice, Int128 PayoffPerLot, long OpenInterest, Int128 Paid);
