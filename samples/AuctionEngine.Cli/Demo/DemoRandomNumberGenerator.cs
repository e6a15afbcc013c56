using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AuctionEngine.Cli.Demo;

/// <summary>
/// DEMO ONLY, NEVER FOR REAL KEYS: a <see cref="RandomNumberGenerator"/> whose every byte follows from a label, so
/// that the sealed demo's batch key, ciphertexts and salts are the same on every run with the same seed.
/// </summary>
/// <remarks>
/// The stream is SHA-256(SHA-256(label) ‖ counter) for counter 0, 1, 2, … (big-endian 64-bit). Anyone who knows the
/// label knows every secret drawn from it, which is exactly what makes a demo reproducible and exactly why nothing
/// outside a demo may use it. One instance per label keeps draws independent of thread scheduling.
/// </remarks>
internal sealed class DemoRandomNumberGenerator : RandomNumberGenerator
{
    private readonly byte[] _block = new byte[SHA256.HashSizeInBytes + sizeof(ulong)];
    private readonly byte[] _output = new byte[SHA256.HashSizeInBytes];
    private ulong _counter;
    private int _used = SHA256.HashSizeInBytes;

    /// <summary>Creates the generator for <paramref name="label"/>; equal labels give equal streams.</summary>
    public DemoRandomNumberGenerator(string label) => SHA256.HashData(Encoding.UTF8.GetBytes(label), _block);

    public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

    public override void GetBytes(byte[] data, int offset, int count) => GetBytes(data.AsSpan(offset, count));

    public override void GetBytes(Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = NextByte();
        }
    }

    public override void GetNonZeroBytes(byte[] data) => GetNonZeroBytes(data.AsSpan());

    public override void GetNonZeroBytes(Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            byte value;
            do
            {
                value = NextByte();
            }
            while (value == 0);
            data[i] = value;
        }
    }

    private byte NextByte()
    {
        if (_used == _output.Length)
        {
            BinaryPrimitives.WriteUInt64BigEndian(_block.AsSpan(SHA256.HashSizeInBytes), _counter++);
            SHA256.HashData(_block, _output);
            _used = 0;
        }

        return _output[_used++];
    }
}
