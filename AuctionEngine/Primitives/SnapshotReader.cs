using System.Buffers.Binary;

namespace AuctionEngine.Primitives;

/// <summary>
/// Reads the little-endian fields of a versioned snapshot (the order manager's, the batch venue's), refusing one that
/// is cut short or whose counts could not fit what is left, with an <see cref="InvalidDataException"/> that names it.
/// </summary>
/// <param name="source">The snapshot's bytes.</param>
/// <param name="kind">What the snapshot is of, for the error message ("order manager", "batch venue").</param>
internal ref struct SnapshotReader(ReadOnlySpan<byte> source, string kind)
{
    private readonly ReadOnlySpan<byte> _source = source;
    private readonly string _kind = kind;
    private int _position;

    public readonly bool AtEnd => _position == _source.Length;

    public ReadOnlySpan<byte> Bytes(int length)
    {
        if (_source.Length - _position < length)
        {
            ThrowHelper.ThrowInvalidData_SnapshotOf(_kind, "it is cut short.");
        }

        ReadOnlySpan<byte> bytes = _source.Slice(_position, length);
        _position += length;
        return bytes;
    }

    public byte Byte() => Bytes(1)[0];

    public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

    public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

    public int Int32() => (int)UInt32();

    public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));

    public long Int64() => (long)UInt64();

    public Int128 Int128() => BinaryPrimitives.ReadInt128LittleEndian(Bytes(16));

    public UInt128 UInt128() => BinaryPrimitives.ReadUInt128LittleEndian(Bytes(16));

    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Bytes(8));

    /// <summary>A flag written as 0 or 1; any other byte is corruption.</summary>
    public bool Boolean()
    {
        byte value = Byte();
        if (value > 1)
        {
            ThrowHelper.ThrowInvalidData_SnapshotOf(_kind, "a flag is neither 0 nor 1.");
        }

        return value == 1;
    }

    public Address Address() => new(Bytes(Primitives.Address.Length));

    public Hash32 Hash() => new(Bytes(Hash32.Length));

    /// <summary>A count of records at least <paramref name="minimumSize"/> bytes each, checked against what is left.</summary>
    public int Count(int minimumSize)
    {
        int count = Int32();
        if (count < 0 || (long)count * minimumSize > _source.Length - _position)
        {
            ThrowHelper.ThrowInvalidData_SnapshotOf(_kind, "a count does not fit the bytes left.");
        }

        return count;
    }
}
