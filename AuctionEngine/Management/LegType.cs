namespace AuctionEngine.Management;

/// <summary>What one leg of an instruction is: the building block of stops, OCOs and brackets.</summary>
/// <remarks>There is deliberately no zero member: a zero-initialised leg is rejected.</remarks>
public enum LegType : byte
{
    /// <summary>A stop-loss or take-profit that triggers on the oracle at a fixed price.</summary>
    Stop = 1,

    /// <summary>A stop whose trigger trails the best oracle price seen by a distance in basis points.</summary>
    TrailingStop = 2,

    /// <summary>A standing limit order (or iceberg) that is released into every batch.</summary>
    Limit = 3,
}
