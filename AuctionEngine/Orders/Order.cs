using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using AuctionEngine.Primitives;
using AuctionEngine.Serialization;

namespace AuctionEngine.Orders;

/// <summary>
/// One order in a batch: an immutable value the clearing engine reads from a <see cref="ReadOnlySpan{T}"/>.
/// </summary>
/// <remarks>
/// The constructor does not validate: validation is the engine's job, so that a malformed order is reported as a
/// per-order rejection with a reason (see <see cref="Clearing.RejectReason"/>) instead of an exception that would
/// sink the rest of the batch.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
[JsonConverter(typeof(OrderJsonConverter))]
public readonly struct Order : IEquatable<Order>
{
    /// <summary>Creates an order.</summary>
    /// <param name="id">The order's identifier, unique within its batch.</param>
    /// <param name="trader">The account that owns the order.</param>
    /// <param name="side">Buy or sell.</param>
    /// <param name="type">Limit or market.</param>
    /// <param name="limitPrice">The limit price in ticks; ignored (and stored as 0) for market orders.</param>
    /// <param name="quantity">The quantity in lots.</param>
    /// <param name="priorityKey">Breaks exact ties in pro-rata rationing (lower wins); see <see cref="PriorityKey"/>.</param>
    public Order(ulong id, Address trader, Side side, OrderType type, long limitPrice, long quantity, ulong priorityKey)
    {
        Id = id;
        LimitPrice = type == OrderType.Market ? 0 : limitPrice;
        Quantity = quantity;
        PriorityKey = priorityKey;
        Trader = trader;
        Side = side;
        Type = type;
    }

    /// <summary>The order's identifier, unique within its batch.</summary>
    public ulong Id { get; }

    /// <summary>The limit price in ticks; 0 for a market order.</summary>
    public long LimitPrice { get; }

    /// <summary>The quantity in lots.</summary>
    public long Quantity { get; }

    /// <summary>
    /// Breaks exact ties in pro-rata rationing, and decides which orders are processed when a batch exceeds the
    /// engine's capacity: the lower key wins.
    /// </summary>
    /// <remarks>
    /// It must not be something a trader can choose, or traders would grind it to win ties: derive it from data the
    /// trader commits to before the batch's randomness is known (the sealed-batch layer mixes the commitment hash
    /// with the batch's randomness).
    /// </remarks>
    public ulong PriorityKey { get; }

    /// <summary>The account that owns the order.</summary>
    public Address Trader { get; }

    /// <summary>Buy or sell.</summary>
    public Side Side { get; }

    /// <summary>Limit or market.</summary>
    public OrderType Type { get; }

    /// <summary>Whether this is a market order (no limit price).</summary>
    public bool IsMarket => Type == OrderType.Market;

    /// <summary>Creates a limit order.</summary>
    /// <param name="id">The order's identifier, unique within its batch.</param>
    /// <param name="trader">The account that owns the order.</param>
    /// <param name="side">Buy or sell.</param>
    /// <param name="limitPrice">The worst acceptable price in ticks: the highest for a buy, the lowest for a sell.</param>
    /// <param name="quantity">The quantity in lots.</param>
    /// <param name="priorityKey">Breaks exact ties in rationing (lower wins).</param>
    /// <returns>The order.</returns>
    public static Order Limit(ulong id, Address trader, Side side, long limitPrice, long quantity, ulong priorityKey) =>
        new(id, trader, side, OrderType.Limit, limitPrice, quantity, priorityKey);

    /// <summary>Creates a market order, which trades at whatever uniform price the batch clears at.</summary>
    /// <param name="id">The order's identifier, unique within its batch.</param>
    /// <param name="trader">The account that owns the order.</param>
    /// <param name="side">Buy or sell.</param>
    /// <param name="quantity">The quantity in lots.</param>
    /// <param name="priorityKey">Breaks exact ties in rationing (lower wins).</param>
    /// <returns>The order.</returns>
    public static Order Market(ulong id, Address trader, Side side, long quantity, ulong priorityKey) =>
        new(id, trader, side, OrderType.Market, 0, quantity, priorityKey);

    /// <inheritdoc/>
    public bool Equals(Order other) =>
        Id == other.Id && LimitPrice == other.LimitPrice && Quantity == other.Quantity && PriorityKey == other.PriorityKey &&
        Trader == other.Trader && Side == other.Side && Type == other.Type;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Order other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, LimitPrice, Quantity, PriorityKey, Trader, Side, Type);

    /// <summary>Field-wise equality.</summary>
    public static bool operator ==(Order left, Order right) => left.Equals(right);

    /// <summary>Field-wise inequality.</summary>
    public static bool operator !=(Order left, Order right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => IsMarket
        ? $"#{Id} {Side} {Quantity} @ market"
        : $"#{Id} {Side} {Quantity} @ {LimitPrice}";
}
