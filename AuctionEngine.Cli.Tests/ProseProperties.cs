using System.Globalization;
using AuctionEngine.Cli.Output;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests;

/// <summary>Counts and lists as prose, for every count and every list length.</summary>
[TestFixture]
public sealed class ProseProperties
{
    /// <summary>Words without the separators a list puts between them.</summary>
    private static readonly Gen<string> Word = Gen.Elements("1", "3", "keyper 2", "xetra", "a", "zz", "12,000", "-5");

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property OneIsSingularAndEveryOtherCountPlural() => Prop.ForAll(ArbMap.Default.ArbFor<long>(), count =>
    {
        string counted = Prose.Count(count, "order");
        string number = count.ToString("N0", CultureInfo.CurrentCulture);
        return counted == (count == 1 ? "1 order" : $"{number} orders");
    });

    [TestCase(0, "0 orders")]
    [TestCase(1, "1 order")]
    [TestCase(2, "2 orders")]
    [TestCase(-1, "-1 orders")]
    public void CountsAtTheCutOff(long count, string expected) =>
        Assert.That(Prose.Count(count, "order"), Is.EqualTo(expected.Replace(",", NumberFormatInfo.CurrentInfo.NumberGroupSeparator, StringComparison.Ordinal)));

    [Test]
    public void AnIrregularPluralIsUsedForEveryCountButOne() =>
        Assert.That(new[] { Prose.Count(1, "entry", "entries"), Prose.Count(2, "entry", "entries"), Prose.Count(UInt128.MaxValue, "lot") },
            Is.EqualTo(new[] { "1 entry", "2 entries", $"{UInt128.MaxValue.ToString("N0", CultureInfo.CurrentCulture)} lots" }));

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property AListKeepsItsItemsInOrderWithOneConjunctionBeforeTheLast() => Prop.ForAll(Gen.ListOf(Word).ToArbitrary(), items =>
    {
        string[] list = [.. items];
        string prose = Prose.List(list, "or");
        if (list.Length == 0)
        {
            return prose.Length == 0;
        }

        if (list.Length == 1)
        {
            return prose == list[0];
        }

        int last = prose.LastIndexOf(" or ", StringComparison.Ordinal);
        string[] head = prose[..last].Split(", ");
        return head.AsSpan().SequenceEqual(list.AsSpan(0, list.Length - 1)) && prose[(last + 4)..] == list[^1] && !prose.Contains(", or ", StringComparison.Ordinal);
    });

    [TestCase(new int[0], "")]
    [TestCase(new[] { 4 }, "4")]
    [TestCase(new[] { 1, 3 }, "1 and 3")]
    [TestCase(new[] { 1, 3, 4 }, "1, 3 and 4")]
    public void NumbersAreListedAsProse(int[] numbers, string expected) =>
        Assert.That(Prose.List(numbers), Is.EqualTo(expected));
}
