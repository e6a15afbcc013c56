using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Threshold;

namespace AuctionEngine.Cli.Demo;

/// <summary>
/// A demo keyper, or anyone else who signs shares, with a secp256k1 key of its own drawn from a label, so that the
/// same seed registers the same addresses on every run. Anyone who knows the label knows the key; demo only.
/// </summary>
internal sealed class DemoKeyper
{
    private readonly byte[] _privateKey = new byte[Secp256k1.PrivateKeySize];

    public DemoKeyper(int index, string label)
    {
        using var random = new DemoRandomNumberGenerator(label);
        do
        {
            random.GetBytes(_privateKey);
        }
        while (!Secp256k1.IsValidPrivateKey(_privateKey));

        Index = index;
        Address = Secp256k1.AddressFromPrivateKey(_privateKey);
    }

    /// <summary>The index this keyper holds the share of.</summary>
    public int Index { get; }

    /// <summary>The address registered for <see cref="Index"/>.</summary>
    public Address Address { get; }

    /// <summary>Signs this keyper's dealt share for release, as an honest keyper does.</summary>
    public SignedKeyperShare Release(SharedBatchKey key, KeyperShareContext context) => key.SignShare(context, Index, _privateKey);

    /// <summary>Signs any share with this key, whatever index it claims: how a wrong or forged share is made.</summary>
    public SignedKeyperShare Sign(KeyperShare share, KeyperShareContext context) => context.Sign(share, _privateKey);
}
