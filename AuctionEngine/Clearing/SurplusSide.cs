namespace AuctionEngine.Clearing;

/// <summary>Which side is left over at the clearing price.</summary>
public enum SurplusSide : byte
{
    /// <summary>Demand equals supply at the clearing price: nobody is rationed.</summary>
    None = 0,

    /// <summary>Demand exceeds supply: buyers are rationed.</summary>
    Bid = 1,

    /// <summary>Supply exceeds demand: sellers are rationed.</summary>
    Ask = 2,
}
