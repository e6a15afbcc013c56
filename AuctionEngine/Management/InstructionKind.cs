namespace AuctionEngine.Management;

/// <summary>The type of a standing instruction; each has its own EIP-712 struct (see <see cref="Signing.Instruction"/>).</summary>
/// <remarks>There is deliberately no zero member: a zero-initialised instruction is rejected.</remarks>
public enum InstructionKind : byte
{
    /// <summary>A stop-loss or take-profit at a fixed trigger price.</summary>
    Stop = 1,

    /// <summary>A trailing stop, with an optional activation price.</summary>
    TrailingStop = 2,

    /// <summary>A standing limit order or iceberg, released into every batch until filled or expired.</summary>
    Limit = 3,

    /// <summary>A time-weighted order released in parts at fixed block intervals.</summary>
    Twap = 4,

    /// <summary>Two legs, where the first to trigger or fill cancels the other.</summary>
    Oco = 5,

    /// <summary>An entry with a take-profit and a stop-loss armed for what the entry has filled.</summary>
    Bracket = 6,

    /// <summary>
    /// Keeps the trader's delta (given by the venue with <see cref="OrderManager.UpdateExposure"/>) within a band around a
    /// target: whenever it is further from the target than the band, one order towards the target at the oracle moved
    /// against the trader by a tolerance. Standing: it ends by expiry or cancellation.
    /// </summary>
    DeltaHedge = 7,

    /// <summary>
    /// A bid and an ask of a fixed quantity into every batch around the oracle (an option series' fair value), with a
    /// half-spread that widens with the trader's vega and delta exposure. Standing: it ends by expiry or cancellation.
    /// </summary>
    Quote = 8,
}
