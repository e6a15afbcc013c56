using AuctionEngine.Orders;

namespace AuctionEngine.Cli.Clear;

/// <summary>An order file as read: the orders in file order, and where their ids and lines can be found again.</summary>
/// <param name="Orders">The orders; only the first <paramref name="Count"/> are the book (the array may be longer).</param>
/// <param name="Count">How many orders the file held.</param>
/// <param name="HasTrader">Whether the file had a trader column.</param>
/// <param name="Ids">The orders' id text, by index.</param>
/// <param name="Lines">The line (Parquet: row) each order was read from.</param>
internal sealed record OrderBook(Order[] Orders, int Count, bool HasTrader, IOrderIds Ids, LineMap Lines) : IDisposable
{
    /// <summary>The orders, in file order.</summary>
    public Span<Order> Span => Orders.AsSpan(0, Count);

    /// <inheritdoc/>
    public void Dispose() => Ids.Dispose();
}
