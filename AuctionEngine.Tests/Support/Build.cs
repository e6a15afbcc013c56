using System.Buffers.Binary;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Tests.Support;

/// <summary>
/// The one place tests create markets, traders and orders, so that a hand-written book reads like the order list it
/// stands for: <c>Buy(id, limit, quantity)</c>, <c>Sell(...)</c>, <c>MarketBuy(id, quantity)</c>, ...
/// </summary>
internal static class Build
{
    public static readonly Address BaseToken = Address.Parse("0x00000000000000000000000000000000000000ba");
    public static readonly Address QuoteToken = Address.Parse("0x0000000000000000000000000000000000000a0e");

    /// <summary>One atom per lot and per tick, so a fill's quote amount is simply lots × price.</summary>
    public static Market UnitMarket() => new(BaseToken, QuoteToken, UInt128.One, UInt128.One);

    /// <summary>A market with the given sizes and the widest bounds they allow.</summary>
    public static Market MarketWith(UInt128 lotSize, UInt128 tickSize) => new(BaseToken, QuoteToken, lotSize, tickSize);

    /// <summary>A market with the given sizes and explicit bounds.</summary>
    public static Market MarketWith(UInt128 lotSize, UInt128 tickSize, long maxPrice, long maxOrderQuantity) =>
        new(BaseToken, QuoteToken, lotSize, tickSize, maxPrice, maxOrderQuantity);

    /// <summary>A distinct trader per number: the number is the address's last four bytes.</summary>
    public static Address Trader(int number)
    {
        Span<byte> bytes = stackalloc byte[Address.Length];
        bytes.Clear();
        BinaryPrimitives.WriteInt32BigEndian(bytes[16..], number);
        return new Address(bytes);
    }

    /// <summary>A limit buy; the trader is derived from the id.</summary>
    public static Order Buy(ulong id, long limitPrice, long quantity, ulong priorityKey = 0) =>
        Order.Limit(id, TraderOf(id), Side.Buy, limitPrice, quantity, priorityKey);

    /// <summary>A limit sell; the trader is derived from the id.</summary>
    public static Order Sell(ulong id, long limitPrice, long quantity, ulong priorityKey = 0) =>
        Order.Limit(id, TraderOf(id), Side.Sell, limitPrice, quantity, priorityKey);

    /// <summary>A market buy; the trader is derived from the id.</summary>
    public static Order MarketBuy(ulong id, long quantity, ulong priorityKey = 0) =>
        Order.Market(id, TraderOf(id), Side.Buy, quantity, priorityKey);

    /// <summary>A market sell; the trader is derived from the id.</summary>
    public static Order MarketSell(ulong id, long quantity, ulong priorityKey = 0) =>
        Order.Market(id, TraderOf(id), Side.Sell, quantity, priorityKey);

    /// <summary>An order of any side and type, valid or not (the engine, not the order, validates).</summary>
    public static Order Raw(ulong id, Side side, OrderType type, long limitPrice, long quantity, ulong priorityKey = 0) =>
        new(id, TraderOf(id), side, type, limitPrice, quantity, priorityKey);

    /// <summary>The same order under another id.</summary>
    public static Order WithId(this Order order, ulong id) =>
        new(id, order.Trader, order.Side, order.Type, order.LimitPrice, order.Quantity, order.PriorityKey);

    /// <summary>The same order at another limit price (a market order stays a market order).</summary>
    public static Order WithLimit(this Order order, long limitPrice) =>
        new(order.Id, order.Trader, order.Side, order.Type, limitPrice, order.Quantity, order.PriorityKey);

    /// <summary>The same order with its limit price moved by <paramref name="ticks"/> (a market order stays as it is).</summary>
    public static Order ShiftedBy(this Order order, long ticks) => order.IsMarket ? order : order.WithLimit(order.LimitPrice + ticks);

    /// <summary>The same order for another quantity.</summary>
    public static Order WithQuantity(this Order order, long quantity) =>
        new(order.Id, order.Trader, order.Side, order.Type, order.LimitPrice, quantity, order.PriorityKey);

    /// <summary>The same order under another priority key.</summary>
    public static Order WithPriorityKey(this Order order, ulong priorityKey) =>
        new(order.Id, order.Trader, order.Side, order.Type, order.LimitPrice, order.Quantity, priorityKey);

    private static Address TraderOf(ulong id) => Trader((int)(id % 1000));
}
