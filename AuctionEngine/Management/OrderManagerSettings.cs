using AuctionEngine.Markets;
using AuctionEngine.Primitives;

namespace AuctionEngine.Management;

/// <summary>The fixed rules of one <see cref="OrderManager"/>: its market, its capacity and its rate limits.</summary>
public sealed class OrderManagerSettings
{
    /// <summary>The default for <see cref="MaxOracleAgeBlocks"/>.</summary>
    public const int DefaultMaxOracleAgeBlocks = 3;

    /// <summary>
    /// The highest <see cref="Market.MaxPrice"/> a manager accepts: every basis-point product of a price
    /// (<c>price × (10000 + bps)</c>) must fit in 64 bits, so the hot loops need no 128-bit arithmetic.
    /// </summary>
    public const long MaxSupportedPrice = long.MaxValue / 20_000;

    /// <summary>Creates the settings.</summary>
    /// <param name="market">The market the released orders clear in.</param>
    /// <param name="marketAddress">The market's on-chain identity, as signed instructions name it (EIP-712 field <c>market</c>).</param>
    /// <param name="maxInstructions">The most live instructions the manager holds; storage for them is allocated up front.</param>
    /// <param name="maxReleasesPerBatch">The most orders the manager releases for one batch; beyond it releases wait (throttled).</param>
    /// <param name="maxInstructionsPerTrader">The most live instructions one trader may have.</param>
    /// <param name="maxReleasesPerTraderPerBatch">The most orders released for one trader into one batch.</param>
    /// <param name="maxOracleAgeBlocks">How many blocks an observation stays usable after the block it was published in.</param>
    /// <exception cref="ArgumentNullException"><paramref name="market"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A limit is not positive, <paramref name="maxOracleAgeBlocks"/> is negative, a per-trader limit exceeds its
    /// whole-manager limit, or the market's maximum price exceeds <see cref="MaxSupportedPrice"/>.
    /// </exception>
    public OrderManagerSettings(
        Market market,
        Address marketAddress,
        int maxInstructions,
        int maxReleasesPerBatch,
        int maxInstructionsPerTrader,
        int maxReleasesPerTraderPerBatch,
        int maxOracleAgeBlocks = DefaultMaxOracleAgeBlocks)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInstructions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxReleasesPerBatch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInstructionsPerTrader);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxReleasesPerTraderPerBatch);
        ArgumentOutOfRangeException.ThrowIfNegative(maxOracleAgeBlocks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxInstructionsPerTrader, maxInstructions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxReleasesPerTraderPerBatch, maxReleasesPerBatch);
        if (market.MaxPrice > MaxSupportedPrice)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(market), "The market's maximum price is above OrderManagerSettings.MaxSupportedPrice.");
        }

        Market = market;
        MarketAddress = marketAddress;
        MaxInstructions = maxInstructions;
        MaxReleasesPerBatch = maxReleasesPerBatch;
        MaxInstructionsPerTrader = maxInstructionsPerTrader;
        MaxReleasesPerTraderPerBatch = maxReleasesPerTraderPerBatch;
        MaxOracleAgeBlocks = maxOracleAgeBlocks;
    }

    /// <summary>The market the released orders clear in.</summary>
    public Market Market { get; }

    /// <summary>The market's on-chain identity, as signed instructions name it.</summary>
    public Address MarketAddress { get; }

    /// <summary>The most live instructions the manager holds.</summary>
    public int MaxInstructions { get; }

    /// <summary>The most orders the manager releases for one batch.</summary>
    public int MaxReleasesPerBatch { get; }

    /// <summary>The most live instructions one trader may have.</summary>
    public int MaxInstructionsPerTrader { get; }

    /// <summary>The most orders released for one trader into one batch.</summary>
    public int MaxReleasesPerTraderPerBatch { get; }

    /// <summary>How many blocks an observation stays usable after the block it was published in.</summary>
    public int MaxOracleAgeBlocks { get; }
}
