namespace AuctionEngine.Clearing;

/// <summary>
/// How a batch picks its single clearing price. Every rule first maximises executable volume V, then minimises
/// the absolute surplus |I|, then, when every remaining price has a surplus on the same side, takes the highest
/// (bid surplus) or lowest (ask surplus) of them. The rules differ in which prices are candidates and in how a
/// remaining tie is broken.
/// </summary>
public enum PriceRule : byte
{
    /// <summary>
    /// Frequent batch auction: candidates are every tick from the lowest to the highest limit in the book, and a
    /// remaining tie resolves to the midpoint of the tied range, rounded half up. Trusts no oracle: it needs a
    /// reference price only for a book of market orders alone. The default.
    /// </summary>
    Midpoint = 0,

    /// <summary>
    /// Exchange call auction (Deutsche Börse Xetra): candidates are the limit prices present in the book, and a
    /// remaining tie is broken with the reference price.
    /// </summary>
    Xetra = 1,

    /// <summary>
    /// Euronext call auction: candidates are every tick from the lowest to the highest of the book's limits and the
    /// reference price, so the reference price itself is chosen whenever it lies inside the tied range.
    /// </summary>
    Euronext = 2,
}
