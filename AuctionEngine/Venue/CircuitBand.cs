namespace AuctionEngine.Venue;

/// <summary>Which band of a <see cref="CircuitBreakerSettings"/> a would-be price fell outside.</summary>
public enum CircuitBand : byte
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>The dynamic band, around the last clearing price.</summary>
    Dynamic = 1,

    /// <summary>The static band, around the block's usable oracle price.</summary>
    Static = 2,
}
