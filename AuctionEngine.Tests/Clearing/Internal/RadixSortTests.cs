using AuctionEngine.Clearing.Internal;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Clearing.Internal;

/// <summary>The sort behind the price ladder and the duplicate-id check, on both sides of its small-input cut-over.</summary>
[TestFixture]
public sealed class RadixSortTests
{
    /// <summary>Up to 300 records, keys drawn from a few values (many ties) or from the whole 64-bit range.</summary>
    private static readonly Arbitrary<KeyedValue[]> Records = Arb.From(
        from count in Gen.Choose(0, 300)
        from narrow in Gen.Elements(true, false)
        from keys in (narrow ? Gen.Choose(0, 5).Select(k => (ulong)k) : Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => ((ulong)(uint)t.Item1 << 32) | (uint)t.Item2)).ArrayOf(count)
        select keys.Select((key, i) => new KeyedValue(key, i)).ToArray());

    [FsCheck.NUnit.Property]
    public Property SortsByKeyKeepingTiesInInputOrder() => Prop.ForAll(Records, records =>
    {
        KeyedValue[] expected = [.. records.OrderBy(r => r.Key)]; // LINQ's OrderBy is stable.
        Span<KeyedValue> sorted = RadixSort.Sort(records, new KeyedValue[records.Length]);
        return sorted.Length == expected.Length && sorted.ToArray().SequenceEqual(expected);
    });
}
