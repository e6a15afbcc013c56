namespace AuctionEngine.Perpetuals;

/// <summary>Why an order was or was not admitted into a perpetual market's batch.</summary>
public enum AdmissionStatus : byte
{
    /// <summary>Admitted whole.</summary>
    Admitted = 0,

    /// <summary>A reduce-only order admitted with a smaller quantity: what is left of the position to reduce.</summary>
    Reduced = 1,

    /// <summary>The account would not meet its initial margin requirement if this order and its earlier orders in the batch filled in the worst way.</summary>
    InsufficientMargin = 2,

    /// <summary>A reduce-only order with no position left to reduce on its side.</summary>
    NothingToReduce = 3,

    /// <summary>The order could take the position beyond the market's maximum.</summary>
    PositionLimit = 4,

    /// <summary>The trader has no account (never deposited).</summary>
    UnknownAccount = 5,

    /// <summary>The market index is not one of the engine's markets.</summary>
    UnknownMarket = 6,

    /// <summary>The side, type, quantity or limit price is outside the market's bounds.</summary>
    InvalidOrder = 7,

    /// <summary>The option series has reached its expiry block (or was settled): it no longer trades.</summary>
    SeriesExpired = 8,
}
