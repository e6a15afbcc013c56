namespace AuctionEngine.Clearing;

/// <summary>The caller's choices for one batch: the price rule and, optionally, a reference price.</summary>
/// <param name="Rule">The price rule; <see cref="PriceRule.Midpoint"/> by default.</param>
/// <param name="ReferencePrice">
/// The reference price R in ticks (typically the last clearing price or an index price), used to break ties by
/// <see cref="PriceRule.Xetra"/> and <see cref="PriceRule.Euronext"/>, and by every rule to price a book of market
/// orders alone. <see langword="null"/> when the caller has none.
/// </param>
public readonly record struct ClearingOptions(PriceRule Rule = PriceRule.Midpoint, long? ReferencePrice = null);
