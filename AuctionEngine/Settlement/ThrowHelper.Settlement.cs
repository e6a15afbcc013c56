using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_CowBuyBalance(string paramName) =>
        throw new ArgumentException("A GPv2 order's buy balance is Erc20 or Internal: a trade's flags cannot express External.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T ThrowArgumentOutOfRange<T>(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_CowDomain(string paramName) =>
        throw new ArgumentException("A CoW order is signed under the \"Gnosis Protocol\" v2 domain (CowSettlement.Domain).", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_NotOwnersKey(string paramName) =>
        throw new ArgumentException("The private key is not the order owner's: the settlement contract would recover another address.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_CowSignature(string scheme, string expected, string paramName) =>
        throw new ArgumentException($"A {scheme} signature is {expected}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_NotSettleable(Sealing.SettlementBlocker blocker) =>
        throw new InvalidOperationException(blocker == Sealing.SettlementBlocker.HoldsReleasedOrders
            ? "The batch holds orders the order manager released; the reference settlement contract settles only committed orders, so it cannot settle this batch yet."
            : "The batch needs a reference price to choose among tied prices: clear it again with one before settling.");
}
