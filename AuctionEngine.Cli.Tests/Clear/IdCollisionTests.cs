using System.Globalization;
using System.IO.Hashing;
using System.Text;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Identity;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests.Clear;

/// <summary>
/// A 64-bit id hash can collide; a collision must never reject an order as a duplicate. Collisions are forced here
/// with hashes whose engine-id half takes few values, while the priority-key half stays XXH3's, so every run must
/// give exactly the output of the real hash.
/// </summary>
public sealed class IdCollisionTests
{
    private ClearHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new ClearHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    /// <summary>Every id's first hash has engine id 7; its further candidates (seeds 1, 2, …) collide too, in pairs.</summary>
    private static UInt128 EverythingCollides(ReadOnlySpan<byte> id, long seed) =>
        new(Key(id), seed == 0 ? 7UL : (ulong)((seed + 1) / 2));

    /// <summary>Engine ids from the first byte only: ids that share a first letter collide.</summary>
    private static UInt128 FirstByte(ReadOnlySpan<byte> id, long seed) =>
        new(Key(id), seed == 0 ? id[0] : (ulong)XxHash128.HashToUInt128(id, seed));

    /// <summary>The priority-key half of the real hash.</summary>
    private static ulong Key(ReadOnlySpan<byte> id) => (ulong)(XxHash128.HashToUInt128(id) >> 64);

    [Test]
    public void DistinctIdsWithEqualHashesAllClearAndEqualIdsAreStillDuplicates()
    {
        string path = _harness.File("id,side,price,quantity\na1,buy,101,5\na2,sell,99,5\na3,buy,100,2\na1,sell,99,1\nb1,sell,100,3\na3,buy,90,1\n");
        ClearRun real = ClearHarness.Run(ClearHarness.Request(path));
        Assert.That(real.ExitCode, Is.EqualTo(ExitCodes.Success), real.Error);
        Assert.That(CsvReaderTests.Rejections(real), Is.EqualTo(new[] { ("a1", 2L, "duplicateId"), ("a3", 4L, "duplicateId"), ("a1", 5L, "duplicateId"), ("a3", 7L, "duplicateId") }));

        foreach (OrderIdHash hash in new OrderIdHash[] { EverythingCollides, FirstByte })
        {
            ClearRun forced = ClearHarness.Run(ClearHarness.Request(path), hash);
            Assert.That(forced.Text, Is.EqualTo(real.Text));
        }
    }

    [Test]
    public void ABookWhoseEveryIdCollidesClearsAsWithTheRealHash()
    {
        var text = new StringBuilder("id,side,price,quantity\n");
        var random = new Random(5);
        for (int i = 0; i < 500; i++)
        {
            // Ids repeat now and then, so true duplicates sit among the collisions.
            int id = random.Next(450);
            text.Append(CultureInfo.InvariantCulture, $"order-{id},{(random.Next(2) == 0 ? "buy" : "sell")},{random.Next(95, 106)},{random.Next(1, 20)}\n");
        }

        string path = _harness.File(text.ToString());
        ClearRun real = ClearHarness.Run(ClearHarness.Request(path));
        Assert.That(CsvReaderTests.Rejections(real), Is.Not.Empty, "the book repeats some ids");
        foreach (int threads in new[] { 1, 3 })
        {
            ClearRun forced = ClearHarness.Run(ClearHarness.Request(path, threads), EverythingCollides, rangeBytes: 97);
            Assert.That(forced.Text, Is.EqualTo(real.Text), $"{threads} threads");
        }
    }

    [Test]
    public void ACollisionNeverTakesAnotherOrdersEngineId()
    {
        // The first byte of "b" is 98, and "a"'s further candidates are forced onto 98 as well: the resolution must
        // look past a candidate another order already has.
        static UInt128 Crowded(ReadOnlySpan<byte> id, long seed) =>
            new(Key(id), seed switch { 0 => id[0] == (byte)'b' ? 98UL : 1UL, 1 => 98UL, _ => 1000UL + (ulong)seed });

        string path = _harness.File("id,side,price,quantity\naa,buy,101,5\nab,sell,99,5\nb,sell,99,5\n");
        ClearRun real = ClearHarness.Run(ClearHarness.Request(path));
        ClearRun forced = ClearHarness.Run(ClearHarness.Request(path), Crowded);
        Assert.That(forced.Text, Is.EqualTo(real.Text));
        Assert.That(CsvReaderTests.Rejections(forced), Is.Empty);
    }
}
