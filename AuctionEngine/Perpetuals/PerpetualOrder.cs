using AuctionEngine.Orders;

namespace AuctionEngine.Perpetuals;

/// <summary>An order for one of a <see cref="PerpetualEngine"/>'s markets, as submitted for admission.</summary>
/// <param name="MarketIndex">The market's index in the engine.</param>
/// <param name="Order">The order; its <see cref="Order.Trader"/> is the account.</param>
/// <param name="ReduceOnly">Whether the order may only bring the position toward zero.</param>
public readonly record struct PerpetualOrder(int MarketIndex, Order Order, bool ReduceOnly);
