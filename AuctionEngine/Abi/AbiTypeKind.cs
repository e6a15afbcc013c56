namespace AuctionEngine.Abi;

/// <summary>The kinds of Solidity ABI type that <see cref="AbiType"/> describes.</summary>
public enum AbiTypeKind
{
    /// <summary><c>uint&lt;M&gt;</c>, an unsigned integer of M bits (8 to 256, a multiple of 8).</summary>
    UInt,

    /// <summary><c>int&lt;M&gt;</c>, a two's complement signed integer of M bits (8 to 256, a multiple of 8).</summary>
    Int,

    /// <summary><c>address</c>, 20 bytes.</summary>
    Address,

    /// <summary><c>bool</c>.</summary>
    Bool,

    /// <summary><c>bytes&lt;M&gt;</c>, exactly M bytes (1 to 32).</summary>
    FixedBytes,

    /// <summary><c>bytes</c>, a byte sequence of any length.</summary>
    Bytes,

    /// <summary><c>string</c>, UTF-8 text of any length.</summary>
    String,

    /// <summary><c>T[k]</c>, exactly k elements of one type.</summary>
    FixedArray,

    /// <summary><c>T[]</c>, any number of elements of one type.</summary>
    DynamicArray,

    /// <summary><c>(T1,…,Tn)</c>, one value of each component type.</summary>
    Tuple,
}
