namespace AuctionEngine.Orders;

/// <summary>Whether an order carries a limit price.</summary>
/// <remarks>
/// <see cref="Limit"/> is the zero member, so a zero-initialised order is a limit order at price 0 and is rejected,
/// never silently a market order.
/// </remarks>
public enum OrderType : byte
{
    /// <summary>Trades only at its limit price or better.</summary>
    Limit = 0,

    /// <summary>Trades at any clearing price; ranks ahead of every limit order on its side.</summary>
    Market = 1,
}
