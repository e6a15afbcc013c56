namespace AuctionEngine.Options;

/// <summary>Whether an implied volatility was found, and if not, why no volatility gives the price.</summary>
public enum ImpliedVolatilityStatus
{
    /// <summary>The volatility reproduces the price: <see cref="ImpliedVolatilityResult.Volatility"/> holds it (zero for a price at exactly the intrinsic value).</summary>
    Solved = 0,

    /// <summary>The price is below the option's discounted intrinsic value (or negative): no volatility is that cheap, and the price allows an arbitrage.</summary>
    BelowIntrinsicValue = 1,

    /// <summary>
    /// The price is at or above what the option is worth as volatility grows without bound (a call the discounted
    /// forward, a put the discounted strike): no finite volatility is that dear, and above it the price allows an arbitrage.
    /// </summary>
    AtOrAboveMaximumValue = 2,

    /// <summary>
    /// The option's value does not depend on volatility (no time left, a zero strike or a zero underlying) and the price
    /// is that value: every volatility gives it, so none is implied.
    /// </summary>
    Indeterminate = 3,
}
