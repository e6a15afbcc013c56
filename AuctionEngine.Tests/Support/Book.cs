using System.Globalization;
using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;

namespace AuctionEngine.Tests.Support;

/// <summary>A generated batch: the market, the orders and the options to clear them with.</summary>
internal sealed record Book(Market Market, Order[] Orders, ClearingOptions Options)
{
    /// <summary>Clears the book on <paramref name="engine"/>, or on a fresh engine sized for it.</summary>
    public BatchOutcome Clear(ClearingEngine? engine = null) => Auction.Clear(Orders, Options, Market, engine);

    /// <summary>Clears the book at <paramref name="price"/> on <paramref name="engine"/>, or on a fresh engine sized for it.</summary>
    public BatchOutcome ClearAt(long price, ClearingEngine? engine = null) => Auction.ClearAt(Orders, price, Market, engine);

    /// <summary>What the rules say the book should clear to.</summary>
    public OracleOutcome Expected(int capacity = int.MaxValue) => Oracle.Clear(Market, Orders, Options, capacity);

    /// <summary>The same market and options with other orders.</summary>
    public Book With(IEnumerable<Order> orders) => this with { Orders = [.. orders] };

    /// <summary>The same book with <paramref name="order"/> inserted before the order now at <paramref name="position"/>.</summary>
    public Book WithInserted(Order order, int position) => With(Orders.Take(position).Append(order).Concat(Orders.Skip(position)));

    /// <summary>Everything needed to replay a counterexample by hand.</summary>
    public override string ToString()
    {
        string orders = string.Join(", ", Orders.Select(o => o.IsMarket
            ? string.Create(CultureInfo.InvariantCulture, $"#{o.Id} {o.Side} {o.Quantity} @ market k{o.PriorityKey}")
            : string.Create(CultureInfo.InvariantCulture, $"#{o.Id} {o.Side} {o.Quantity} @ {o.LimitPrice} k{o.PriorityKey}")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Options.Rule}, R = {Options.ReferencePrice?.ToString(CultureInfo.InvariantCulture) ?? "none"}, lot {Market.LotSize}, tick {Market.TickSize}: [{orders}]");
    }
}
