using AuctionEngine.Markets;
using AuctionEngine.Primitives;

namespace AuctionEngine.Cli.Commands;

/// <summary>The market both commands clear in.</summary>
internal static class UnitMarket
{
    /// <summary>
    /// Lot size 1 and tick size 1, so a fill's quote amount is simply filled lots × price in ticks. The token
    /// addresses play no part in clearing.
    /// </summary>
    public static readonly Market Instance = new(Address.Zero, Address.Zero, lotSize: UInt128.One, tickSize: UInt128.One);
}
