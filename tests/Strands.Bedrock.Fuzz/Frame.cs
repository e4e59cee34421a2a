using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Strands.Bedrock.Fuzz;

/// <summary>One header of a frame as raw bytes, so that mutations can put anything in a name or value.</summary>
/// <param name="Name">The name's bytes (1 to 255 on a well-formed frame).</param>
/// <param name="Type">The type code (7 = string, 6 = byte array, 0/1 = booleans, 2..5 = integers, 8 = timestamp, 9 = UUID).</param>
/// <param name="Value">The value's bytes, as they follow the type code (for strings and byte arrays, without the length).</param>
internal sealed record RawHeader(byte[] Name, byte Type, byte[] Value)
{
    public const byte StringType = 7;

    public static RawHeader String(string name, string value) => new(Encoding.UTF8.GetBytes(name), StringType, Encoding.UTF8.GetBytes(value));
}

/// <summary>A frame before encoding: headers and payload. <see cref="Encode"/> writes it with correct lengths and CRCs.</summary>
internal sealed record Frame(IReadOnlyList<RawHeader> Headers, byte[] Payload)
{
    public static Frame Event(string eventType, string json) => new(
        [RawHeader.String(":event-type", eventType), RawHeader.String(":content-type", "application/json"), RawHeader.String(":message-type", "event")],
        Encoding.UTF8.GetBytes(json));

    public static Frame Exception(string exceptionType, string json) => new(
        [RawHeader.String(":exception-type", exceptionType), RawHeader.String(":content-type", "application/json"), RawHeader.String(":message-type", "exception")],
        Encoding.UTF8.GetBytes(json));

    public static Frame Error(string code, string message) => new(
        [RawHeader.String(":error-code", code), RawHeader.String(":error-message", message), RawHeader.String(":message-type", "error")],
        []);

    /// <summary>The wire bytes: prelude (total length, headers length, prelude CRC), headers, payload, message CRC.</summary>
    public byte[] Encode()
    {
        var headers = new MemoryStream();
        Span<byte> length = stackalloc byte[2];
        foreach (var header in Headers)
        {
            headers.WriteByte((byte)header.Name.Length);
            headers.Write(header.Name);
            headers.WriteByte(header.Type);
            if (header.Type is RawHeader.StringType or 6)
            {
                BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)header.Value.Length);
                headers.Write(length);
            }

            headers.Write(header.Value);
        }

        var headerBytes = headers.ToArray();
        var total = 12 + headerBytes.Length + Payload.Length + 4;
        var frame = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32.HashToUInt32(frame.AsSpan(0, 8)));
        headerBytes.CopyTo(frame.AsSpan(12));
        Payload.CopyTo(frame.AsSpan(12 + headerBytes.Length));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), Crc32.HashToUInt32(frame.AsSpan(0, total - 4)));
        return frame;
    }
}
