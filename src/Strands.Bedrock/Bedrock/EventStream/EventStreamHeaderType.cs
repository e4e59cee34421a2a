using System.Diagnostics.CodeAnalysis;

namespace Strands.Bedrock.EventStream;

/// <summary>
/// The type code of an <c>application/vnd.amazon.eventstream</c> header value, as written on the wire.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are the event-stream wire type names.")]
internal enum EventStreamHeaderType : byte
{
    /// <summary>Boolean <see langword="true"/>; the header has no value bytes.</summary>
    BoolTrue = 0,

    /// <summary>Boolean <see langword="false"/>; the header has no value bytes.</summary>
    BoolFalse = 1,

    /// <summary>A signed 8-bit integer.</summary>
    Byte = 2,

    /// <summary>A signed 16-bit big-endian integer.</summary>
    Int16 = 3,

    /// <summary>A signed 32-bit big-endian integer.</summary>
    Int32 = 4,

    /// <summary>A signed 64-bit big-endian integer.</summary>
    Int64 = 5,

    /// <summary>Opaque bytes, prefixed by a 16-bit big-endian length.</summary>
    ByteArray = 6,

    /// <summary>A UTF-8 string, prefixed by a 16-bit big-endian byte length.</summary>
    String = 7,

    /// <summary>A signed 64-bit big-endian count of milliseconds since the Unix epoch.</summary>
    Timestamp = 8,

    /// <summary>A 16-byte UUID in RFC 4122 (big-endian) byte order.</summary>
    Uuid = 9,
}
