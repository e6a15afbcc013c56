namespace AuctionEngine.Abi;

/// <summary>
/// The input to <see cref="AbiDecoder"/> is not the canonical ABI encoding of a value of the expected type. It is the
/// only exception decoding throws on malformed input, so a caller handling untrusted bytes needs to catch just this.
/// </summary>
public sealed class AbiDecodingException : FormatException
{
    /// <summary>Creates the exception for a problem found at <paramref name="offset"/>.</summary>
    /// <param name="offset">The byte offset in the input where the problem was found.</param>
    /// <param name="problem">What is wrong there.</param>
    public AbiDecodingException(int offset, string problem)
        : base($"Malformed ABI encoding at byte {offset}: {problem}")
    {
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The byte offset in the input where the problem was found: the start of the offending word, or the end of the input when it is too short.</summary>
    public int Offset { get; }

    /// <summary>What is wrong, without the offset.</summary>
    public string Problem { get; }
}
