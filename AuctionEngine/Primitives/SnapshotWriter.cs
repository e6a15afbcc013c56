using System.Buffers.Binary;

namespace AuctionEngine.Primitives;

/// <summary>
/// Writes the little-endian fixed-width fields of a snapshot into a span sized up front, the counterpart of
/// <see cref="SnapshotReader"/>; the caller computes the exact size, so the writer never checks or grows.
/// </summary>
/// <param name="destination">The span the snapshot's bytes go to, exactly as long as they are.</param>
internal ref struct SnapshotWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _position;

    public readonly int Position => _position;

    public void Byte(byte value) => _destination[_position++] = value;

    public void Boolean(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_destination[_position..], value);
        _position += 2;
    }

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_destination[_position..], value);
        _position += 4;
    }

    public void Int32(int value) => UInt32((uint)value);

    public void UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_destination[_position..], value);
        _position += 8;
    }

    public void Int64(long value) => UInt64((ulong)value);

    public void Int128(Int128 value)
    {
        BinaryPrimitives.WriteInt128LittleEndian(_destination[_position..], value);
        _position += 16;
    }

    public void UInt128(UInt128 value)
    {
        BinaryPrimitives.WriteUInt128LittleEndian(_destination[_position..], value);
        _position += 16;
    }

    public void Double(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_destination[_position..], value);
        _position += 8;
    }

    public void Address(Address value)
    {
        value.WriteTo(_destination.Slice(_position, Primitives.Address.Length));
        _position += Primitives.Address.Length;
    }
}
