namespace AuctionEngine.Threshold;

/// <summary>Whether a batch key could be opened.</summary>
public enum BatchKeyOpeningStatus
{
    /// <summary>At least t released shares were valid; the secret key is recovered.</summary>
    Opened = 0,

    /// <summary>Fewer than t released shares were valid; open again when more keypers release theirs.</summary>
    NotEnoughValidShares = 1,
}
