using System.Text;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using NUnit.Framework;

namespace AuctionEngine.Tests.Crypto;

/// <summary>Keccak-256 as Ethereum uses it: published vectors, the sponge's rate boundary, and instance reuse.</summary>
[TestFixture]
public sealed class Keccak256Tests
{
    [TestCase("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [TestCase("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    public void MatchesPublishedVectors(string message, string expected) =>
        Assert.That(Keccak256.Hash(Encoding.ASCII.GetBytes(message)).ToString(), Is.EqualTo(expected));

    [Test]
    public void MatchesThePublishedVectorForAMillionAs()
    {
        byte[] chunk = Encoding.ASCII.GetBytes(new string('a', 1_000));
        var keccak = new Keccak256();
        for (int i = 0; i < 1_000; i++)
        {
            keccak.AppendData(chunk);
        }

        var hash = new byte[Keccak256.HashSize];
        keccak.GetHashAndReset(hash);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(new Hash32(hash).ToString(), Is.EqualTo("0xfadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96"));
            Assert.That(Keccak256.Hash(Encoding.ASCII.GetBytes(new string('a', 1_000_000))), Is.EqualTo(new Hash32(hash)));
        }
    }

    // The expected values are ethers 6.17.0's keccak256 of the bytes 0, 1, 2, ... (tools/fixtures/sealed-orders.mjs,
    // "rateBoundary"): 136 bytes is the rate, so 135 bytes pad within one block and 136 need a second block of padding.
    [TestCase(135, "0xcbdfd9dee5faad3818d6b06f95a219fd290b0e1706f6a82e5a595b9ce9faca62")]
    [TestCase(136, "0x7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e")]
    public void MatchesAnIndependentImplementationAtTheRateBoundary(int length, string expected)
    {
        byte[] input = [.. Enumerable.Range(0, length).Select(i => (byte)i)];

        Assert.That(Keccak256.Hash(input).ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void IsNotSha3()
    {
        // FIPS 202 SHA3-256("") differs from Keccak-256("") only by the padding byte.
        Assert.That(Keccak256.Hash([]).ToString(), Is.Not.EqualTo("0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"));
    }

    [Test]
    public void AnInstanceIsReusableAfterEachHash()
    {
        var keccak = new Keccak256();
        var first = new byte[Keccak256.HashSize];
        var second = new byte[Keccak256.HashSize];
        keccak.ComputeHash("abc"u8, first);
        keccak.AppendData("a"u8);
        keccak.AppendData("bc"u8);
        keccak.GetHashAndReset(second);
        keccak.AppendData("left over"u8);
        Hash32 afterLeftOver = keccak.ComputeHash("abc"u8);
        keccak.AppendData("discarded"u8);
        keccak.Reset();
        keccak.AppendData("abc"u8);
        keccak.GetHashAndReset(first.AsSpan());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(afterLeftOver, Is.EqualTo(new Hash32(first)));
            Assert.That(Keccak256.HashData("abc"u8), Is.EqualTo(first));
        }
    }

    [Test]
    public void WritesOnlyTheFirst32BytesOfALongerDestination()
    {
        byte[] destination = [.. Enumerable.Repeat((byte)0xEE, 40)];
        Keccak256.HashData("abc"u8, destination);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(new Hash32(destination.AsSpan(0, 32)), Is.EqualTo(Keccak256.Hash("abc"u8)));
            Assert.That(destination[32..], Is.All.EqualTo(0xEE));
        }
    }

    [Test]
    public void NeedsRoomFor32Bytes()
    {
        var keccak = new Keccak256();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => keccak.ComputeHash("abc"u8.ToArray(), new byte[31]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => keccak.GetHashAndReset(new byte[31]), Throws.TypeOf<ArgumentException>());
        }
    }

    [Test]
    public void HashingWithAWarmInstanceDoesNotAllocate()
    {
        var keccak = new Keccak256();
        byte[] input = new byte[300];
        var hash = new byte[Keccak256.HashSize];
        keccak.ComputeHash(input, hash);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            keccak.ComputeHash(input, hash);
            keccak.AppendData(input);
            keccak.GetHashAndReset(hash);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
