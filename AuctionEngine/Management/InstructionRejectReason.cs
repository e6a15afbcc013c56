namespace AuctionEngine.Management;

/// <summary>Why the manager refused an instruction or a cancellation: one bad submission never sinks a block.</summary>
public enum InstructionRejectReason : byte
{
    /// <summary>Not rejected.</summary>
    None = 0,

    /// <summary>The signature is malformed or recovers no address (see <see cref="Crypto.SignatureStatus"/>).</summary>
    BadSignature = 1,

    /// <summary>The signature is valid but was made by someone other than the instruction's trader.</summary>
    SignerNotTrader = 2,

    /// <summary>The instruction or cancellation names another market.</summary>
    WrongMarket = 3,

    /// <summary>An instruction with the same id (the same signed struct) is live, or came twice in one block.</summary>
    DuplicateInstruction = 4,

    /// <summary>The expiry block is before the block the instruction arrived in.</summary>
    ExpiredOnArrival = 5,

    /// <summary>The instruction kind, a leg type, a side or a stop kind is not one of the defined values.</summary>
    InvalidType = 6,

    /// <summary>
    /// A quantity is not between 1 and the market's maximum, a display quantity exceeds its quantity, or a delta hedge's
    /// band or a quote's maximum position is negative.
    /// </summary>
    InvalidQuantity = 7,

    /// <summary>A price is above the market's maximum, a required price is 0, or a quote's minimum half-spread is negative or above the maximum.</summary>
    InvalidPrice = 8,

    /// <summary>
    /// A basis-point field is out of its range (slippage and tolerance 0..10,000, trailing distance 1..9,999, a quote's
    /// spreads 0..65,535).
    /// </summary>
    InvalidBasisPoints = 9,

    /// <summary>A TWAP has fewer than 2 parts, a part interval below 1 block, or a start before its arrival block.</summary>
    InvalidSchedule = 10,

    /// <summary>
    /// The legs do not fit the instruction: an OCO with two standing limits (both could fill in one uniform-price batch),
    /// or a bracket whose exits are not a take-profit and a stop-loss stop on the other side for the entry's quantity.
    /// </summary>
    InvalidLegs = 11,

    /// <summary>The trader already has <see cref="OrderManagerSettings.MaxInstructionsPerTrader"/> live instructions.</summary>
    TooManyInstructions = 12,

    /// <summary>The manager holds <see cref="OrderManagerSettings.MaxInstructions"/> live instructions.</summary>
    ManagerFull = 13,

    /// <summary>A cancellation names no live instruction.</summary>
    UnknownInstruction = 14,

    /// <summary>A cancellation names an instruction of another trader.</summary>
    NotInstructionTrader = 15,

    /// <summary>A quote's vega unit or delta unit is 0: the exposure its spread widens with would be divided by 0.</summary>
    InvalidExposureUnit = 16,

    /// <summary>
    /// The manager's market is closed (<see cref="OrderManager.Close"/>): it takes no instruction any more. Checked after
    /// the signature and the market address, before everything else.
    /// </summary>
    MarketClosed = 17,
}
