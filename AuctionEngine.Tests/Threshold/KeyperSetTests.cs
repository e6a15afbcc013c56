using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using NUnit.Framework;

namespace AuctionEngine.Tests.Threshold;

/// <summary>The registered keypers: one distinct, non-zero address per index from 1 to n, looked up without throwing for wire input.</summary>
[TestFixture]
public sealed class KeyperSetTests
{
    [Test]
    public void KeyperIHasTheIthAddress()
    {
        Address[] addresses = [.. Enumerable.Range(1, 4).Select(TestKeypers.AddressOf)];
        var keypers = new KeyperSet(addresses);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(keypers.Count, Is.EqualTo(4));
            Assert.That(keypers.Addresses, Is.EqualTo(addresses));
            Assert.That(Enumerable.Range(1, 4).Select(i => keypers[i]), Is.EqualTo(addresses));
        }
    }

    [TestCase(int.MinValue, false)]
    [TestCase(-1, false)]
    [TestCase(0, false)]
    [TestCase(1, true)]
    [TestCase(3, true)]
    [TestCase(4, false)]
    [TestCase(int.MaxValue, false)]
    public void AnyIndexIsLookedUpWithoutThrowing(int index, bool registered)
    {
        KeyperSet keypers = TestKeypers.Registered(3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(keypers.TryGetAddress(index, out Address address), Is.EqualTo(registered));
            Assert.That(address, Is.EqualTo(registered ? TestKeypers.AddressOf(index) : Address.Zero));
            if (registered)
            {
                Assert.That(keypers[index], Is.EqualTo(address));
            }
            else
            {
                Assert.That(() => keypers[index], Throws.TypeOf<ArgumentOutOfRangeException>());
            }
        }
    }

    [Test]
    public void TheAddressesAreCopied()
    {
        Address[] addresses = [.. Enumerable.Range(1, 2).Select(TestKeypers.AddressOf)];
        var keypers = new KeyperSet(addresses);
        addresses[0] = TestKeypers.AddressOf(7);

        Assert.That(keypers[1], Is.EqualTo(TestKeypers.AddressOf(1)));
    }

    [Test]
    public void RefusesAnEmptySetTheZeroAddressAndDuplicates()
    {
        Address one = TestKeypers.AddressOf(1);
        Address two = TestKeypers.AddressOf(2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new KeyperSet(null!), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => new KeyperSet([]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => new KeyperSet([one, Address.Zero]), Throws.TypeOf<ArgumentException>().With.Message.Contains("Keyper 2"));
            Assert.That(() => new KeyperSet([one, two, one]), Throws.TypeOf<ArgumentException>().With.Message.Contains("Keypers 1 and 3"));
            Assert.That(new KeyperSet([one]).Count, Is.EqualTo(1));
        }
    }
}
