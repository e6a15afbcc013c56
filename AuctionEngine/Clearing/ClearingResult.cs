using System.Text.Json.Serialization;
using AuctionEngine.Serialization;

namespace AuctionEngine.Clearing;

/// <summary>
/// The batch-level outcome of <see cref="ClearingEngine.Clear"/> or <see cref="ClearingEngine.ClearAtPrice"/>; per-order
/// outcomes are in the fills span.
/// </summary>
[JsonConverter(typeof(ClearingResultJsonConverter))]
public readonly record struct ClearingResult
{
    /// <summary>Whether the batch cleared, and if not, why not.</summary>
    public ClearingStatus Status { get; init; }

    /// <summary>
    /// The rule the price was chosen by; left at its default by <see cref="ClearingEngine.ClearAtPrice"/>, whose caller
    /// chose the price.
    /// </summary>
    public PriceRule Rule { get; init; }

    /// <summary>The uniform clearing price in ticks; <see langword="null"/> unless <see cref="Status"/> is <see cref="ClearingStatus.Cleared"/>.</summary>
    public long? Price { get; init; }

    /// <summary>Lots traded: what every buyer received and every seller delivered, in total.</summary>
    public UInt128 Volume { get; init; }

    /// <summary>|demand − supply| at the clearing price: the lots the long side wanted but did not get.</summary>
    public UInt128 Surplus { get; init; }

    /// <summary>Which side the surplus is on, and so which side was rationed.</summary>
    public SurplusSide SurplusSide { get; init; }

    /// <summary>The highest buy limit price among accepted orders, or <see langword="null"/> when there is none.</summary>
    public long? BestBid { get; init; }

    /// <summary>The lowest sell limit price among accepted orders, or <see langword="null"/> when there is none.</summary>
    public long? BestAsk { get; init; }

    /// <summary>Orders accepted into the batch.</summary>
    public int AcceptedCount { get; init; }

    /// <summary>Orders rejected before clearing; each fill says why.</summary>
    public int RejectedCount { get; init; }

    /// <summary>Orders that traded at least one lot.</summary>
    public int FilledCount { get; init; }

    /// <summary>Orders on the price level where volume ran out, which shared it pro rata.</summary>
    public int RationedCount { get; init; }

    /// <summary>Whether the batch cleared at one price with positive volume.</summary>
    public bool Cleared => Status == ClearingStatus.Cleared;
}
