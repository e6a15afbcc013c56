using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_StructBufferFull(string paramName) =>
        throw new ArgumentException("The buffer has no room for another 32-byte word.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_NegativeInstructionField() =>
        throw new ArgumentOutOfRangeException(null, "Prices, quantities, basis points and blocks of a signed instruction are unsigned integers and cannot be negative.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_UInt16InstructionField(string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, "A basis-point field of a signed instruction is a uint16: from 0 to 65,535.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T ThrowInvalidOperation_UnknownInstructionKind<T>() =>
        throw new InvalidOperationException("The instruction's kind is not an InstructionKind: a default Instruction has no EIP-712 struct.");
}
