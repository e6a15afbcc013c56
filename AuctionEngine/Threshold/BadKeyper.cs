namespace AuctionEngine.Threshold;

/// <summary>A keyper that signed a share that cannot be right, and what was wrong.</summary>
/// <param name="Index">The keyper's index.</param>
/// <param name="Verdict">
/// What was wrong: <see cref="ShareVerdict.NotAScalar"/>, <see cref="ShareVerdict.WrongValue"/> or
/// <see cref="ShareVerdict.Equivocated"/>; never <see cref="ShareVerdict.Valid"/>.
/// </param>
public readonly record struct BadKeyper(int Index, ShareVerdict Verdict);
