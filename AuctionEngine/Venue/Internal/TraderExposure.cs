using System.Runtime.InteropServices;
using AuctionEngine.Primitives;

namespace AuctionEngine.Venue.Internal;

/// <summary>
/// A trader's portfolio exposure on a market's underlying, as a <see cref="PerpetualVenue"/> computes it for that
/// market's order manager after a block's fills.
/// </summary>
/// <param name="MarketIndex">The market whose manager it is for.</param>
/// <param name="Trader">The trader.</param>
/// <param name="Delta">The portfolio delta on the market's underlying, in the underlying perpetual's lots.</param>
/// <param name="Vega">The portfolio vega on that underlying, in quote atoms per 1.00 of volatility.</param>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct TraderExposure(int MarketIndex, Address Trader, long Delta, long Vega);
