namespace AuctionEngine.Benchmarks.Clearing;

/// <summary>How limit prices are spread in a generated batch.</summary>
public enum PriceDistribution
{
    /// <summary>A realistic book: limits within a few hundred ticks of a mid price, buys and sells overlapping.</summary>
    Narrow,

    /// <summary>
    /// An attacker's book: limits uniform over the whole positive 62-bit range, so every price is distinct and no
    /// tick-indexed structure can hold them.
    /// </summary>
    Wide,

    /// <summary>Issue 10's narrow book: half buys, half sells, limits uniform over 9,000..11,000, quantities 1..1,000.</summary>
    UniformNarrow,

    /// <summary>Issue 10's wide book: the same with limits uniform over 1..2,000,000,000, almost every one distinct.</summary>
    UniformWide,
}
