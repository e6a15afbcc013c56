using AuctionEngine.Orders;

namespace AuctionEngine.Cli.Csv;

/// <summary>One row of an order file: the order as the engine sees it, and the id text it was written with.</summary>
internal readonly record struct CsvOrder(string Id, Order Order);
