namespace AuctionEngine.Management;

/// <summary>Which leg of its instruction an order or event belongs to.</summary>
/// <remarks>
/// A later layer (perpetuals) marks <see cref="TakeProfit"/> and <see cref="StopLoss"/> orders of a bracket
/// reduce-only; the manager itself only carries the role.
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
}
