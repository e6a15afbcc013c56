namespace AuctionEngine.Management;

/// <summary>Whether a stop protects against a loss or takes a profit; with the side it decides the trigger's direction.</summary>
/// <remarks>
/// A stop-loss sell and a take-profit buy trigger when the oracle falls to the trigger price or below; a stop-loss buy
/// and a take-profit sell when it rises to the trigger price or above. There is deliberately no zero member.
/// </remarks>
public enum StopKind : byte
{
    /// <summary>Limits a loss: a sell below the market, or a buy above it.</summary>
    StopLoss = 1,

    /// <summary>Takes a profit: a sell above the market, or a buy below it.</summary>
    TakeProfit = 2,
}
