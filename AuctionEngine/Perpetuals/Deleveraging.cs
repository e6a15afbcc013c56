using AuctionEngine.Primitives;

namespace AuctionEngine.Perpetuals;

/// <summary>
/// One auto-deleveraging transfer: part of a bankrupt account's position taken over by an opposite position at the
/// bankruptcy price, because the insurance fund could not cover the account's loss.
/// </summary>
/// <param name="MarketIndex">The market.</param>
/// <param name="Bankrupt">The account whose position was closed.</param>
/// <param name="Counterparty">The account whose opposite position absorbed it (highest profit ratio × leverage first).</param>
/// <param name="Quantity">Lots closed on both accounts.</param>
/// <param name="Quote">Quote atoms the bankrupt account received (negative: paid) and the counterparty paid (negative: received).</param>
public readonly record struct Deleveraging(int MarketIndex, Address Bankrupt, Address Counterparty, long Quantity, Int128 Quote);
