using System.Buffers.Binary;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using NUnit.Framework;

namespace AuctionEngine.Tests.Sealing;

/// <summary>The exact hashes a settlement contract recomputes, and that computing them per order allocates nothing.</summary>
[TestFixture]
public sealed class CommitmentsTests
{
    private static readonly Hash32 Digest = Hash32.Parse("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
    private static readonly Hash32 Salt = Hash32.Parse("0x000000000000000000000000000000000000000000000000000000000000002a");

    [Test]
    public void ARevealCommitmentIsTheKeccakOfDigestThenSalt()
    {
        byte[] words = [.. Digest.ToArray(), .. Salt.ToArray()];
        Assert.That(Commitments.ForReveal(Digest, Salt), Is.EqualTo(Keccak256.Hash(words)));
    }

    [Test]
    public void AnEncryptedCommitmentIsTheKeccakOfDigestThenTheCiphertextsKeccak()
    {
        byte[] ciphertext = [.. Enumerable.Range(0, 418).Select(i => (byte)i)];
        byte[] words = [.. Digest.ToArray(), .. Keccak256.HashData(ciphertext)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Commitments.ForEncrypted(Digest, ciphertext), Is.EqualTo(Keccak256.Hash(words)));
            Assert.That(Commitments.CiphertextSecret(ciphertext), Is.EqualTo(Keccak256.Hash(ciphertext)));
            Assert.That(Commitments.ForEncrypted(Digest, ciphertext), Is.EqualTo(Commitments.ForReveal(Digest, Commitments.CiphertextSecret(ciphertext))));
        }
    }

    [Test]
    public void APriorityKeyIsTheFirstEightBytesOfTheKeccakOfCommitmentThenRandomness()
    {
        byte[] words = [.. Digest.ToArray(), .. Salt.ToArray()];
        ulong expected = BinaryPrimitives.ReadUInt64BigEndian(Keccak256.HashData(words));
        Assert.That(Commitments.PriorityKey(Digest, Salt), Is.EqualTo(expected));
    }

    [Test]
    public void PerOrderHashingAllocatesNothingOnceWarm()
    {
        byte[] ciphertext = new byte[418];
        Commitments.ForReveal(Digest, Salt);
        Commitments.ForEncrypted(Digest, ciphertext);
        Commitments.PriorityKey(Digest, Salt);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Commitments.ForReveal(Digest, Salt);
            Commitments.ForEncrypted(Digest, ciphertext);
            Commitments.PriorityKey(Digest, Salt);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
