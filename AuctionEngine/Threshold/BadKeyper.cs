namespace AuctionEngine.Threshold;

/// <summary>A keyper whose released share could not be used, and why.</summary>
/// <param name="Index">The index the share claimed.</param>
/// <param name="Verdict">What was wrong with it; never <see cref="ShareVerdict.Valid"/>.</param>
public readonly record struct BadKeyper(int Index, ShareVerdict Verdict);
