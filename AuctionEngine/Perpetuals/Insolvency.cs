using AuctionEngine.Primitives;

namespace AuctionEngine.Perpetuals;

/// <summary>
/// An account left with negative net collateral after the insurance fund and deleveraging were exhausted: a loss
/// nobody has absorbed, reported rather than silently spread.
/// </summary>
/// <param name="Account">The account.</param>
/// <param name="Deficit">How many quote atoms its net collateral is below zero.</param>
public readonly record struct Insolvency(Address Account, Int128 Deficit);
