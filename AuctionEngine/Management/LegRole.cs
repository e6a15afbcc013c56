namespace AuctionEngine.Management;

/// <summary>Which leg of its instruction an order or event belongs to.</summary>
/// <remarks>
/// A later layer (perpetuals) marks <see cref="TakeProfit"/> and <see cref="StopLoss"/> orders of a bracket
/// reduce-only; the manager itself only carries the role. A quote's two orders are <see cref="Bid"/> and
/// <see cref="Ask"/>, a delta hedge's is <see cref="Hedge"/>, so that a venue tells them apart from every other release.
/// </remarks>
public enum LegRole : byte
{
    /// <summary>The instruction as a whole, or the only leg of a stop, trailing stop, limit or TWAP.</summary>
    Whole = 0,

    /// <summary>The first leg of an OCO, as signed.</summary>
    First = 1,

    /// <summary>The second leg of an OCO, as signed.</summary>
    Second = 2,

    /// <summary>The entry of a bracket.</summary>
    Entry = 3,

    /// <summary>The take-profit exit of a bracket.</summary>
    TakeProfit = 4,

    /// <summary>The stop-loss exit of a bracket.</summary>
    StopLoss = 5,

    /// <summary>The bid of a quote.</summary>
    Bid = 6,

    /// <summary>The ask of a quote.</summary>
    Ask = 7,

    /// <summary>The order of a delta hedge (a buy or a sell, whichever returns the delta to its target).</summary>
    Hedge = 8,
}
