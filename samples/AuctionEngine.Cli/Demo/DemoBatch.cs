using AuctionEngine.Orders;

namespace AuctionEngine.Cli.Demo;

/// <summary>A generated batch and the parameters it was drawn around.</summary>
/// <param name="Orders">The orders, each with a unique id.</param>
/// <param name="MidPrice">The price, in ticks, the limit prices are scattered around.</param>
/// <param name="TraderCount">How many distinct trader addresses the orders were drawn from.</param>
internal sealed record DemoBatch(Order[] Orders, long MidPrice, int TraderCount);
