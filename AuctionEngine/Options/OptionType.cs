namespace AuctionEngine.Options;

/// <summary>Whether an option gives the right to buy (a call) or to sell (a put) at its strike.</summary>
public enum OptionType
{
    /// <summary>The right to buy the underlying at the strike: worth max(underlying − strike, 0) at expiry.</summary>
    Call = 0,

    /// <summary>The right to sell the underlying at the strike: worth max(strike − underlying, 0) at expiry.</summary>
    Put = 1,
}
