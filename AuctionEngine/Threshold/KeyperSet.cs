using AuctionEngine.Primitives;

namespace AuctionEngine.Threshold;

/// <summary>
/// The registered keypers of a sharing: keyper i (from 1 to n) signs the shares it releases with the secp256k1 key
/// of the i-th address, and a share claiming index i counts only if that address signed it.
/// </summary>
/// <remarks>
/// The addresses are the keypers' own accounts, registered before the key is shared (on-chain, or in the host's
/// configuration); the dealer never holds their keys. Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class KeyperSet
{
    private readonly Address[] _addresses;

    /// <summary>Registers keypers 1 to n, in that order.</summary>
    /// <param name="addresses">The n addresses: the first is keyper 1's. They are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="addresses"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// There are no addresses, one is the zero address (which <see cref="Crypto.Secp256k1"/> recovery never yields,
    /// so its keyper could never be heard), or two are the same (one key would speak for two indexes).
    /// </exception>
    public KeyperSet(IEnumerable<Address> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        Address[] registered = [.. addresses];
        if (registered.Length == 0)
        {
            ThrowHelper.ThrowArgumentException_NoKeypers(nameof(addresses));
        }

        var positions = new Dictionary<Address, int>(registered.Length);
        for (int i = 0; i < registered.Length; i++)
        {
            if (registered[i].IsZero)
            {
                ThrowHelper.ThrowArgumentException_ZeroKeyperAddress(i + 1, nameof(addresses));
            }

            if (!positions.TryAdd(registered[i], i))
            {
                ThrowHelper.ThrowArgumentException_DuplicateKeyperAddress(positions[registered[i]] + 1, i + 1, nameof(addresses));
            }
        }

        _addresses = registered;
    }

    /// <summary>The number of keypers n; their indexes run from 1 to n.</summary>
    public int Count => _addresses.Length;

    /// <summary>The addresses in index order: <c>Addresses[i − 1]</c> is keyper i's.</summary>
    public IReadOnlyList<Address> Addresses => _addresses;

    /// <summary>The registered address of keyper <paramref name="index"/>.</summary>
    /// <param name="index">The keyper's index, from 1 to <see cref="Count"/>.</param>
    /// <returns>The address whose key signs that keyper's shares.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not from 1 to <see cref="Count"/>.</exception>
    public Address this[int index]
    {
        get
        {
            if (!TryGetAddress(index, out Address address))
            {
                ThrowHelper.ThrowArgumentOutOfRange_UnknownKeyper(index, _addresses.Length, nameof(index));
            }

            return address;
        }
    }

    /// <summary>Looks up the keyper an untrusted index claims to be, without throwing.</summary>
    /// <param name="index">Any index, as it came off the wire.</param>
    /// <param name="address">The keyper's address when there is one; otherwise <see cref="Address.Zero"/>.</param>
    /// <returns>Whether <paramref name="index"/> is from 1 to <see cref="Count"/>.</returns>
    public bool TryGetAddress(int index, out Address address)
    {
        if ((uint)(index - 1) >= (uint)_addresses.Length)
        {
            address = Address.Zero;
            return false;
        }

        address = _addresses[index - 1];
        return true;
    }
}
