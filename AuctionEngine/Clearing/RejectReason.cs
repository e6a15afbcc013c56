namespace AuctionEngine.Clearing;

/// <summary>Why an order was left out of a batch. Rejections are per order: the rest of the batch still clears.</summary>
public enum RejectReason : byte
{
    /// <summary>The order was accepted (it may still have filled nothing).</summary>
    None = 0,

    /// <summary>The side is neither <see cref="Orders.Side.Buy"/> nor <see cref="Orders.Side.Sell"/>.</summary>
    InvalidSide = 1,

    /// <summary>The type is neither <see cref="Orders.OrderType.Limit"/> nor <see cref="Orders.OrderType.Market"/>.</summary>
    InvalidOrderType = 2,

    /// <summary>The quantity is zero or negative.</summary>
    QuantityNotPositive = 3,

    /// <summary>
    /// The quantity exceeds <see cref="Markets.Market.MaxOrderQuantity"/>, beyond which its atoms could overflow
    /// <see cref="UInt128"/>.
    /// </summary>
    QuantityTooLarge = 4,

    /// <summary>A limit order's price is zero or negative.</summary>
    PriceNotPositive = 5,

    /// <summary>
    /// A limit order's price exceeds <see cref="Markets.Market.MaxPrice"/>, beyond which its notional could overflow
    /// <see cref="UInt128"/>.
    /// </summary>
    PriceTooHigh = 6,

    /// <summary>
    /// Another order in the batch has the same id. Every copy is rejected, since which one is genuine cannot be
    /// decided without looking at arrival order.
    /// </summary>
    DuplicateId = 7,

    /// <summary>
    /// The batch held more valid orders with unique ids than the engine's capacity; the capacity's worth of them with
    /// the lowest (priority key, id) were cleared and this one was not. Invalid orders and repeated ids are rejected
    /// for their own reason first and never take a valid order's place.
    /// </summary>
    OverCapacity = 8,
}
