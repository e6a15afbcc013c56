using System.Security.Cryptography;

namespace AuctionEngine.Tests.Support;

/// <summary>
/// A <see cref="RandomNumberGenerator"/> that replays the same bytes for the same seed, so that key generation and
/// encryption in tests are reproducible and a failing FsCheck case can be rerun.
/// </summary>
internal sealed class SeededRandom(int seed) : RandomNumberGenerator
{
#pragma warning disable CA5394 // Reproducibility is the point; nothing here protects a secret.
    private readonly Random _random = new(seed);

    public override void GetBytes(byte[] data) => _random.NextBytes(data);

    public override void GetBytes(byte[] data, int offset, int count) => _random.NextBytes(data.AsSpan(offset, count));

    public override void GetBytes(Span<byte> data) => _random.NextBytes(data);

    public override void GetNonZeroBytes(byte[] data) => GetNonZeroBytes(data.AsSpan());

    public override void GetNonZeroBytes(Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)_random.Next(1, 256);
        }
    }
#pragma warning restore CA5394
}
