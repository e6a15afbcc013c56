namespace AuctionEngine.Sealing;

/// <summary>A <see cref="SealedBatch"/> operation was called in a phase that does not allow it.</summary>
public sealed class BatchPhaseException : InvalidOperationException
{
    /// <summary>Creates the exception for an operation that needs <paramref name="required"/> but found <paramref name="actual"/>.</summary>
    /// <param name="operation">The operation that was refused.</param>
    /// <param name="required">The phase the operation needs.</param>
    /// <param name="actual">The phase the batch is in.</param>
    public BatchPhaseException(string operation, BatchPhase required, BatchPhase actual)
        : base($"{operation} needs the batch to be {required}, but it is {actual}.")
    {
        Operation = operation;
        Required = required;
        Actual = actual;
    }

    /// <summary>The operation that was refused.</summary>
    public string Operation { get; }

    /// <summary>The phase the operation needs.</summary>
    public BatchPhase Required { get; }

    /// <summary>The phase the batch was in.</summary>
    public BatchPhase Actual { get; }
}
