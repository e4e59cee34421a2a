using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Strands.Bedrock.EventStream;

/// <summary>
/// One header of an <c>application/vnd.amazon.eventstream</c> frame: a name, a <see cref="EventStreamHeaderType"/>
/// and a value of that type.
/// </summary>
/// <remarks>
/// Create headers with the static factories (<see cref="String(string, string)"/>, <see cref="Int32(string, int)"/>, …)
/// and read values with the <c>Get…</c> accessors, which throw <see cref="InvalidOperationException"/> when the header
/// has another type. A <see cref="EventStreamHeaderType.ByteArray"/> header produced by an
/// <see cref="EventStreamReader"/> points into the reader's buffer and is valid only until the reader's next read.
/// </remarks>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are the event-stream wire type names.")]
internal readonly struct EventStreamHeader
{
    /// <summary>The longest header name in UTF-8 bytes.</summary>
    public const int MaxNameLength = byte.MaxValue;

    /// <summary>The longest string or byte-array value in bytes (UTF-8 bytes for strings).</summary>
    public const int MaxValueLength = ushort.MaxValue;

    private readonly string? _name;
    private readonly string? _string;
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly long _scalar;
    private readonly Guid _uuid;
    private readonly EventStreamHeaderType _type;

    internal EventStreamHeader(string name, EventStreamHeaderType type, long scalar, string? stringValue, ReadOnlyMemory<byte> bytes, Guid uuid)
    {
        _name = name;
        _type = type;
        _scalar = scalar;
        _string = stringValue;
        _bytes = bytes;
        _uuid = uuid;
    }

    /// <summary>The header name (for example <c>:event-type</c>); empty for a default instance.</summary>
    public string Name => _name ?? string.Empty;

    /// <summary>The type of the value.</summary>
    public EventStreamHeaderType Type => _type;

    /// <summary>Creates a boolean header (type <see cref="EventStreamHeaderType.BoolTrue"/> or <see cref="EventStreamHeaderType.BoolFalse"/>).</summary>
    /// <param name="name">The header name, 1 to 255 UTF-8 bytes.</param>
    /// <param name="value">The value.</param>
    /// <returns>The header.</returns>
    public static EventStreamHeader Boolean(string name, bool value) =>
        new(ValidateName(name), value ? EventStreamHeaderType.BoolTrue : EventStreamHeaderType.BoolFalse, value ? 1 : 0, null, default, default);

    /// <summary>Creates a signed 8-bit integer header (type <see cref="EventStreamHeaderType.Byte"/>).</summary>
    /// <param name="name">The header name, 1 to 255 UTF-8 bytes.</param>
    /// <param name="value">The value.</param>
    /// <returns>The header.</returns>
    public static EventStreamHeader Byte(string name, sbyte value) =>
        new(ValidateName(name), EventStreamHeaderType.Byte, value, null, default, default);

    /// <summary>Creates a 16-bit integer header.</summary>
    /// <param name="name">The header name, 1 to 255 UTF-8 bytes.</param>
    /// <param name="value">The value.</param>
    /// <returns>The header.</returns>
    public static EventStreamHeader Int16(string name, short value) =>
        new(ValidateName(name), EventStreamHeaderType.Int16, value, null, default, default);

    /// <summary>Creates a 32-bit integer header.</summary>
    /// <param name="name">The header name, 1 to 255 UTF-8 bytes.</param>
    /// <param name="value">The value.</param>
    /// <returns>The header.</returns>
    public static EventStreamHeader Int32(string name, int value) =>
        new(ValidateName(name), EventStreamHeaderType.Int32, value, null, default, default);

    /// <summary>Creates a 64-bit integer header.</summary>
    /// <param name="name">The header name, 1 to 255 UTF-8 bytes.</param>
    /// <param name="value">The value.</param>
    /// <returns>The header.</returns>
    public static EventStreamHeader Int64(string name, long value) =>
        new(ValidateName(name), EventStreamHeaderType.Int64, value, null, default, default);

    /// <summary>Creates a byte-array header. The memory is referenced, not copied.</summary>
    /// <param name="name">The header name, 1 to 255 UTF-8 bytes.</param>
    /// <param name="value">The value, at most 65,535 bytes.</param>
    /// <returns>The header.</returns>
    public static EventStreamHeader ByteArray(string name, ReadOnlyMemory<byte> value)
    {
        if (value.Length > MaxValueLength)
        {
            throw new ArgumentException($"A header value can be at most {MaxValueLength} bytes long.", nameof(value));
        }

        return new(ValidateName(name), EventStreamHeaderType.ByteArray, 0, null, value, default);
    }

    /// <summary>Creates a string header.</summary>
    /// <param name="name">The header name, 1 to 255 UTF-8 bytes.</param>
    /// <param name="value">The value, at most 65,535 UTF-8 bytes.</param>
    /// <returns>The header.</returns>
    public static EventStreamHeader String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxValueLength || Encoding.UTF8.GetByteCount(value) > MaxValueLength)
        {
            throw new ArgumentException($"A header value can be at most {MaxValueLength} UTF-8 bytes long.", nameof(value));
        }

        return new(ValidateName(name), EventStreamHeaderType.String, 0, value, default, default);
    }

    /// <summary>Creates a timestamp header; the value is sent as whole milliseconds since the Unix epoch (sub-millisecond precision is dropped).</summary>
    /// <param name="name">The header name, 1 to 255 UTF-8 bytes.</param>
    /// <param name="value">The value.</param>
    /// <returns>The header.</returns>
    public static EventStreamHeader Timestamp(string name, DateTimeOffset value) =>
        new(ValidateName(name), EventStreamHeaderType.Timestamp, value.ToUnixTimeMilliseconds(), null, default, default);

    /// <summary>Creates a timestamp header from milliseconds since the Unix epoch.</summary>
    /// <param name="name">The header name, 1 to 255 UTF-8 bytes.</param>
    /// <param name="unixTimeMilliseconds">Milliseconds since 1970-01-01T00:00:00Z.</param>
    /// <returns>The header.</returns>
    public static EventStreamHeader Timestamp(string name, long unixTimeMilliseconds) =>
        new(ValidateName(name), EventStreamHeaderType.Timestamp, unixTimeMilliseconds, null, default, default);

    /// <summary>Creates a UUID header; the value is sent in RFC 4122 (big-endian) byte order, as the other AWS SDKs do.</summary>
    /// <param name="name">The header name, 1 to 255 UTF-8 bytes.</param>
    /// <param name="value">The value.</param>
    /// <returns>The header.</returns>
    public static EventStreamHeader Uuid(string name, Guid value) =>
        new(ValidateName(name), EventStreamHeaderType.Uuid, 0, null, default, value);

    /// <summary>Returns the value of a <see cref="EventStreamHeaderType.BoolTrue"/> or <see cref="EventStreamHeaderType.BoolFalse"/> header.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The header is of another type.</exception>
    public bool GetBoolean() => _type switch
    {
        EventStreamHeaderType.BoolTrue => true,
        EventStreamHeaderType.BoolFalse => false,
        _ => throw WrongType("a boolean"),
    };

    /// <summary>Returns the value of a <see cref="EventStreamHeaderType.Byte"/> header.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The header is of another type.</exception>
    public sbyte GetSByte() => _type == EventStreamHeaderType.Byte ? (sbyte)_scalar : throw WrongType("an 8-bit integer");

    /// <summary>Returns the value of a <see cref="EventStreamHeaderType.Byte"/> or <see cref="EventStreamHeaderType.Int16"/> header.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The header is of another type.</exception>
    public short GetInt16() => _type is EventStreamHeaderType.Byte or EventStreamHeaderType.Int16
        ? (short)_scalar
        : throw WrongType("an integer of at most 16 bits");

    /// <summary>Returns the value of a <see cref="EventStreamHeaderType.Byte"/>, <see cref="EventStreamHeaderType.Int16"/> or <see cref="EventStreamHeaderType.Int32"/> header.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The header is of another type.</exception>
    public int GetInt32() => _type is EventStreamHeaderType.Byte or EventStreamHeaderType.Int16 or EventStreamHeaderType.Int32
        ? (int)_scalar
        : throw WrongType("an integer of at most 32 bits");

    /// <summary>
    /// Returns the value of an integer header of any width, or the milliseconds since the Unix epoch of a
    /// <see cref="EventStreamHeaderType.Timestamp"/> header.
    /// </summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The header is of another type.</exception>
    public long GetInt64() => _type is EventStreamHeaderType.Byte or EventStreamHeaderType.Int16 or EventStreamHeaderType.Int32
        or EventStreamHeaderType.Int64 or EventStreamHeaderType.Timestamp
        ? _scalar
        : throw WrongType("an integer");

    /// <summary>Returns the value of a <see cref="EventStreamHeaderType.String"/> header.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The header is of another type.</exception>
    public string GetString() => _type == EventStreamHeaderType.String ? _string ?? string.Empty : throw WrongType("a string");

    /// <summary>
    /// Returns the value of a <see cref="EventStreamHeaderType.ByteArray"/> header. For a header read by an
    /// <see cref="EventStreamReader"/>, the memory is valid only until the reader's next read.
    /// </summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The header is of another type.</exception>
    public ReadOnlyMemory<byte> GetBytes() => _type == EventStreamHeaderType.ByteArray ? _bytes : throw WrongType("a byte array");

    /// <summary>Returns the value of a <see cref="EventStreamHeaderType.Timestamp"/> header.</summary>
    /// <returns>The value, in UTC.</returns>
    /// <exception cref="InvalidOperationException">The header is of another type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range of <see cref="DateTimeOffset"/>; use <see cref="GetTimestampMilliseconds"/>.</exception>
    public DateTimeOffset GetTimestamp() => DateTimeOffset.FromUnixTimeMilliseconds(GetTimestampMilliseconds());

    /// <summary>Returns the value of a <see cref="EventStreamHeaderType.Timestamp"/> header as milliseconds since the Unix epoch.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The header is of another type.</exception>
    public long GetTimestampMilliseconds() => _type == EventStreamHeaderType.Timestamp ? _scalar : throw WrongType("a timestamp");

    /// <summary>Returns the value of a <see cref="EventStreamHeaderType.Uuid"/> header.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The header is of another type.</exception>
    public Guid GetGuid() => _type == EventStreamHeaderType.Uuid ? _uuid : throw WrongType("a UUID");

    /// <summary>Returns <c>name (Type): value</c>; byte arrays are shown by length only.</summary>
    /// <returns>A description of the header.</returns>
    public override string ToString()
    {
        string value = _type switch
        {
            EventStreamHeaderType.BoolTrue => "true",
            EventStreamHeaderType.BoolFalse => "false",
            EventStreamHeaderType.ByteArray => string.Create(CultureInfo.InvariantCulture, $"<{_bytes.Length} bytes>"),
            EventStreamHeaderType.String => _string ?? string.Empty,
            EventStreamHeaderType.Timestamp => string.Create(CultureInfo.InvariantCulture, $"{_scalar} ms"),
            EventStreamHeaderType.Uuid => _uuid.ToString(),
            _ => _scalar.ToString(CultureInfo.InvariantCulture),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{Name} ({_type}): {value}");
    }

    /// <summary>The encoded size: name length byte, name, type byte, value.</summary>
    internal int GetEncodedLength()
    {
        if (_name is null)
        {
            throw new ArgumentException("A default EventStreamHeader has no name and cannot be written.");
        }

        int nameLength = Encoding.UTF8.GetByteCount(_name);
        return 2 + nameLength + _type switch
        {
            EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse => 0,
            EventStreamHeaderType.Byte => 1,
            EventStreamHeaderType.Int16 => 2,
            EventStreamHeaderType.Int32 => 4,
            EventStreamHeaderType.Int64 or EventStreamHeaderType.Timestamp => 8,
            EventStreamHeaderType.ByteArray => 2 + _bytes.Length,
            EventStreamHeaderType.String => 2 + Encoding.UTF8.GetByteCount(_string ?? string.Empty),
            EventStreamHeaderType.Uuid => 16,
            _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Header '{_name}' has an unknown type {(int)_type}.")),
        };
    }

    /// <summary>Writes the header; the destination must hold <see cref="GetEncodedLength"/> bytes.</summary>
    internal int WriteTo(Span<byte> destination)
    {
        int nameLength = Encoding.UTF8.GetBytes(_name!, destination[1..]);
        destination[0] = (byte)nameLength;
        int p = 1 + nameLength;
        destination[p++] = (byte)_type;
        switch (_type)
        {
            case EventStreamHeaderType.BoolTrue:
            case EventStreamHeaderType.BoolFalse:
                break;
            case EventStreamHeaderType.Byte:
                destination[p++] = (byte)(sbyte)_scalar;
                break;
            case EventStreamHeaderType.Int16:
                BinaryPrimitives.WriteInt16BigEndian(destination[p..], (short)_scalar);
                p += 2;
                break;
            case EventStreamHeaderType.Int32:
                BinaryPrimitives.WriteInt32BigEndian(destination[p..], (int)_scalar);
                p += 4;
                break;
            case EventStreamHeaderType.Int64:
            case EventStreamHeaderType.Timestamp:
                BinaryPrimitives.WriteInt64BigEndian(destination[p..], _scalar);
                p += 8;
                break;
            case EventStreamHeaderType.ByteArray:
                BinaryPrimitives.WriteUInt16BigEndian(destination[p..], (ushort)_bytes.Length);
                _bytes.Span.CopyTo(destination[(p + 2)..]);
                p += 2 + _bytes.Length;
                break;
            case EventStreamHeaderType.String:
                int length = Encoding.UTF8.GetBytes(_string ?? string.Empty, destination[(p + 2)..]);
                BinaryPrimitives.WriteUInt16BigEndian(destination[p..], (ushort)length);
                p += 2 + length;
                break;
            case EventStreamHeaderType.Uuid:
                _uuid.TryWriteBytes(destination.Slice(p, 16), bigEndian: true, out _);
                p += 16;
                break;
        }

        return p;
    }

    private static string ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > MaxNameLength || Encoding.UTF8.GetByteCount(name) > MaxNameLength)
        {
            throw new ArgumentException($"A header name can be at most {MaxNameLength} UTF-8 bytes long.", nameof(name));
        }

        return name;
    }

    private InvalidOperationException WrongType(string expected) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Header '{Name}' is of type {_type}, not {expected}."));
}
