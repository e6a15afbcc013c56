namespace AuctionEngine.Management;

/// <summary>One oracle price the host hands the manager: the library never reads a clock or an oracle itself.</summary>
/// <param name="Price">The price in ticks.</param>
/// <param name="PublishedBlock">The block the oracle published the price in.</param>
/// <remarks>
/// An observation is usable in block B when <c>PublishedBlock &lt;= B</c> and
/// <c>B - PublishedBlock &lt;= </c><see cref="OrderManagerSettings.MaxOracleAgeBlocks"/>.
/// </remarks>
public readonly record struct OracleObservation(long Price, long PublishedBlock);
