namespace AuctionEngine.Management;

/// <summary>Why an instruction, or one leg of it, was cancelled.</summary>
public enum CancelCause : byte
{
    /// <summary>Not a cancellation.</summary>
    None = 0,

    /// <summary>Its trader signed a cancellation.</summary>
    Trader = 1,

    /// <summary>The other leg of its OCO triggered or filled first.</summary>
    OcoSibling = 2,

    /// <summary>A bracket exit whose position is closed and whose entry can no longer fill.</summary>
    PositionClosed = 3,

    /// <summary>
    /// Its market closed for good (<see cref="OrderManager.Close"/>): an option series reached its expiry block, and
    /// every instruction still live for it ended.
    /// </summary>
    MarketClosed = 4,
}
