using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Perpetuals;

/// <summary>
/// A liquidation order the engine releases for the next batch: an ordinary limit order, at the fillable price, that
/// closes part or all of a position; anyone takes the other side by placing orders in the batch.
/// </summary>
/// <param name="OrderId">The id the order must carry in the batch, so that <see cref="PerpetualEngine.ApplyFills"/> recognises its fill. Ids have the top bit set (<see cref="PerpetualEngine.LiquidationIdFlag"/>).</param>
/// <param name="Account">The liquidated account.</param>
/// <param name="MarketIndex">The market of the position.</param>
/// <param name="Side">Sell to close a long, buy to close a short.</param>
/// <param name="Quantity">Lots, sized by dYdX's partial-liquidation rule.</param>
/// <param name="LimitPrice">The fillable price in ticks, rounded against the account (down for a sell, up for a buy) and kept within the market's price bounds; for an option series, the mark premium moved against the account by the penalty (see <see cref="PerpetualEngine.PortfolioMargin"/>).</param>
/// <param name="BankruptcyPrice">The worst price in ticks at which a fill of the whole order leaves the account no worse than bankrupt (rounded up for a sell, down for a buy); below 1 or above the market's maximum when the account is that far under water. For an option series, the limit itself: an option position is closed at its penalised mark, not against a bankruptcy price.</param>
public readonly record struct LiquidationOrder(
    ulong OrderId, Address Account, int MarketIndex, Side Side, long Quantity, long LimitPrice, long BankruptcyPrice)
{
    /// <summary>The order to put in the market's batch.</summary>
    /// <param name="priorityKey">The tie-break key the batch gives it, as for any order.</param>
    /// <returns>A limit order with this liquidation's id, account, side, limit and quantity.</returns>
    public Order ToOrder(ulong priorityKey) => Order.Limit(OrderId, Account, Side, LimitPrice, Quantity, priorityKey);
}
