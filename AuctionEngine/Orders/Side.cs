namespace AuctionEngine.Orders;

/// <summary>Whether an order buys or sells the base token.</summary>
/// <remarks>There is deliberately no zero member: a zero-initialised order has no side and is rejected.</remarks>
public enum Side : byte
{
    /// <summary>Buys base, pays quote.</summary>
    Buy = 1,

    /// <summary>Sells base, receives quote.</summary>
    Sell = 2,
}
