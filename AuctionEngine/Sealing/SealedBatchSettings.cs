using AuctionEngine.Markets;
using AuctionEngine.Primitives;

namespace AuctionEngine.Sealing;

/// <summary>The fixed rules of every sealed batch of one market: which market, and the limits each batch enforces.</summary>
/// <remarks>
/// A host settling through the reference contract uses the limits the contract was deployed with
/// (<c>maxCommitmentsPerBatch</c>, <c>maxCommitmentsPerTrader</c>, <c>maxCiphertextBytes</c>, <c>revealWindow</c>) and
/// the market's own bounds (<c>maxPrice</c>, <c>maxQuantity</c>): every commitment the contract registers must be one
/// the batch accepts, or the batch's settlement could not account for it.
/// </remarks>
public sealed class SealedBatchSettings
{
    /// <summary>Creates the settings.</summary>
    /// <param name="market">The market the batches clear in.</param>
    /// <param name="marketAddress">The market's on-chain identity, as signed orders name it (EIP-712 field <c>market</c>).</param>
    /// <param name="maxOrders">The most sealed orders one batch accepts.</param>
    /// <param name="maxOrdersPerTrader">The most sealed orders one trader may place in one batch.</param>
    /// <param name="maxCiphertextBytes">The longest ciphertext an encrypted order may have.</param>
    /// <param name="revealWindowBlocks">How many blocks reveals are accepted for, counted from the block reveals open in.</param>
    /// <exception cref="ArgumentNullException"><paramref name="market"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive, or a trader may place more orders than a batch holds.</exception>
    public SealedBatchSettings(Market market, Address marketAddress, int maxOrders, int maxOrdersPerTrader, int maxCiphertextBytes, int revealWindowBlocks)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOrders);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOrdersPerTrader);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCiphertextBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(revealWindowBlocks);
        if (maxOrdersPerTrader > maxOrders)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxOrdersPerTrader), "One trader cannot be allowed more orders than the whole batch holds.");
        }

        Market = market;
        MarketAddress = marketAddress;
        MaxOrders = maxOrders;
        MaxOrdersPerTrader = maxOrdersPerTrader;
        MaxCiphertextBytes = maxCiphertextBytes;
        RevealWindowBlocks = revealWindowBlocks;
    }

    /// <summary>The market the batches clear in.</summary>
    public Market Market { get; }

    /// <summary>The market's on-chain identity, as signed orders name it.</summary>
    public Address MarketAddress { get; }

    /// <summary>The most sealed orders one batch accepts.</summary>
    public int MaxOrders { get; }

    /// <summary>The most sealed orders one trader may place in one batch.</summary>
    public int MaxOrdersPerTrader { get; }

    /// <summary>The longest ciphertext an encrypted order may have.</summary>
    public int MaxCiphertextBytes { get; }

    /// <summary>How many blocks reveals are accepted for, counted from the block reveals open in.</summary>
    public int RevealWindowBlocks { get; }
}
