using System.Runtime.CompilerServices;

namespace AuctionEngine.Crypto.Internal;

/// <summary>
/// Told about every step of a constant-time scalar multiplication: which table entry is read, and each point
/// operation. The steps it sees are fixed by the algorithm, never by the scalar, and that is what tests check.
/// </summary>
/// <remarks>
/// <see cref="ConstantTimeMultiplication"/> takes the trace as a type argument; for <see cref="NoTrace"/>, a struct
/// whose members are empty, the JIT compiles a specialised copy in which every call has disappeared.
/// </remarks>
internal interface IMultiplicationTrace
{
    /// <summary>Entry <paramref name="entry"/> of the table for window <paramref name="window"/> was read.</summary>
    static abstract void OnRead(int window, int entry);

    /// <summary>A point addition ran.</summary>
    static abstract void OnAddition();

    /// <summary>A point doubling ran.</summary>
    static abstract void OnDoubling();

    /// <summary>A masked choice between two points ran.</summary>
    static abstract void OnSelection();
}

/// <summary>The trace production code uses: it records nothing and costs nothing.</summary>
internal readonly struct NoTrace : IMultiplicationTrace
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OnRead(int window, int entry)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OnAddition()
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OnDoubling()
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OnSelection()
    {
    }
}
