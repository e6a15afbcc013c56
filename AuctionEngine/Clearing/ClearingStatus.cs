namespace AuctionEngine.Clearing;

/// <summary>The outcome of clearing one batch.</summary>
public enum ClearingStatus : byte
{
    /// <summary>The batch cleared at one price with positive volume.</summary>
    Cleared = 0,

    /// <summary>
    /// Nothing is executable at any price: the book is empty or one-sided, or the best bid is below the best ask. From
    /// <see cref="ClearingEngine.ClearAtPrice"/>: nothing is executable at the given price. No order trades; the result
    /// carries the best bid and best ask.
    /// </summary>
    NothingExecutable = 1,

    /// <summary>
    /// The rule needs a reference price to pick among tied prices (or to price a book of market orders alone) and
    /// none was given. No order trades; clear again with <see cref="ClearingOptions.ReferencePrice"/> set.
    /// </summary>
    ReferencePriceRequired = 2,
}
