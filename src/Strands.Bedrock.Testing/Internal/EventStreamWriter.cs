using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

using Strands.Bedrock.EventStream;

namespace Strands.Bedrock.Testing.Internal;

/// <summary>
/// Encodes <c>application/vnd.amazon.eventstream</c> frames: the prelude (total length, headers length, prelude
/// CRC-32), the headers in the order given, the payload and the message CRC-32. Only the fake writes frames; the
/// library reads them.
/// </summary>
internal static class EventStreamWriter
{
    /// <summary>Returns the total length of the frame that <paramref name="headers"/> and a payload would encode to.</summary>
    /// <param name="headers">The headers.</param>
    /// <param name="payloadLength">The payload length in bytes.</param>
    /// <returns>The frame length in bytes, prelude and CRCs included.</returns>
    /// <exception cref="ArgumentException">A header cannot be encoded, or the frame would exceed <see cref="int.MaxValue"/> bytes.</exception>
    public static int GetFrameLength(ReadOnlySpan<EventStreamHeader> headers, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        long headersLength = 0;
        foreach (ref readonly EventStreamHeader header in headers)
        {
            headersLength += header.GetEncodedLength();
        }

        return CheckedFrameLength(headersLength, payloadLength);
    }

    /// <summary>Returns the total length of the frame that <paramref name="headers"/> and a payload would encode to.</summary>
    /// <param name="headers">The headers.</param>
    /// <param name="payloadLength">The payload length in bytes.</param>
    /// <returns>The frame length in bytes, prelude and CRCs included.</returns>
    /// <exception cref="ArgumentException">A header cannot be encoded, or the frame would exceed <see cref="int.MaxValue"/> bytes.</exception>
    public static int GetFrameLength(IReadOnlyList<EventStreamHeader> headers, int payloadLength)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        long headersLength = 0;
        for (int i = 0; i < headers.Count; i++)
        {
            headersLength += headers[i].GetEncodedLength();
        }

        return CheckedFrameLength(headersLength, payloadLength);
    }

    /// <summary>Writes one frame to <paramref name="output"/>.</summary>
    /// <param name="output">Where to write the frame.</param>
    /// <param name="headers">The headers, written in this order.</param>
    /// <param name="payload">The payload.</param>
    /// <exception cref="ArgumentException">A header cannot be encoded, or the frame is too large.</exception>
    public static void WriteFrame(IBufferWriter<byte> output, ReadOnlySpan<EventStreamHeader> headers, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        int length = GetFrameLength(headers, payload.Length);
        Span<byte> destination = output.GetSpan(length);
        WriteFrameCore(destination[..length], headers, payload);
        output.Advance(length);
    }

    /// <summary>Writes one frame to <paramref name="destination"/>.</summary>
    /// <param name="destination">Where to write the frame; at least <see cref="GetFrameLength(ReadOnlySpan{EventStreamHeader}, int)"/> bytes.</param>
    /// <param name="headers">The headers, written in this order.</param>
    /// <param name="payload">The payload.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">A header cannot be encoded, the frame is too large, or <paramref name="destination"/> is too small.</exception>
    public static int WriteFrame(Span<byte> destination, ReadOnlySpan<EventStreamHeader> headers, ReadOnlySpan<byte> payload)
    {
        int length = GetFrameLength(headers, payload.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The frame needs {length} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        WriteFrameCore(destination[..length], headers, payload);
        return length;
    }

    /// <summary>Encodes one frame into a new array.</summary>
    /// <param name="headers">The headers, written in this order.</param>
    /// <param name="payload">The payload.</param>
    /// <returns>The frame.</returns>
    /// <exception cref="ArgumentException">A header cannot be encoded, or the frame is too large.</exception>
    public static byte[] EncodeFrame(ReadOnlySpan<EventStreamHeader> headers, ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[GetFrameLength(headers, payload.Length)];
        WriteFrameCore(frame, headers, payload);
        return frame;
    }

    /// <summary>
    /// Encodes a Bedrock event frame: <c>:event-type</c>, <c>:content-type: application/json</c> and
    /// <c>:message-type: event</c>, in that order, as the service sends them.
    /// </summary>
    /// <param name="eventType">The event type, for example <c>contentBlockDelta</c>.</param>
    /// <param name="jsonPayload">The event's JSON.</param>
    /// <returns>The frame.</returns>
    public static byte[] EncodeEvent(string eventType, ReadOnlySpan<byte> jsonPayload) =>
        EncodeJsonFrame(EventStreamStrings.EventTypeHeader, eventType, EventStreamStrings.EventMessageType, jsonPayload);

    /// <summary>
    /// Encodes a Bedrock modeled-exception frame: <c>:exception-type</c>, <c>:content-type: application/json</c> and
    /// <c>:message-type: exception</c>, in that order.
    /// </summary>
    /// <param name="exceptionType">The exception type, for example <c>modelStreamErrorException</c>.</param>
    /// <param name="jsonPayload">The exception's JSON, for example <c>{"message":"…"}</c>.</param>
    /// <returns>The frame.</returns>
    public static byte[] EncodeException(string exceptionType, ReadOnlySpan<byte> jsonPayload) =>
        EncodeJsonFrame(EventStreamStrings.ExceptionTypeHeader, exceptionType, EventStreamStrings.ExceptionMessageType, jsonPayload);

    /// <summary>A frame with a JSON payload: the type header, <c>:content-type: application/json</c>, then <c>:message-type</c>.</summary>
    private static byte[] EncodeJsonFrame(string typeHeader, string type, string messageType, ReadOnlySpan<byte> jsonPayload) =>
        EncodeFrame(
            [
                EventStreamHeader.String(typeHeader, type),
                EventStreamHeader.String(EventStreamStrings.ContentTypeHeader, EventStreamStrings.ApplicationJson),
                EventStreamHeader.String(EventStreamStrings.MessageTypeHeader, messageType),
            ],
            jsonPayload);

    /// <summary>
    /// Encodes an unmodeled error frame: <c>:error-code</c>, <c>:error-message</c> and <c>:message-type: error</c>,
    /// in that order, with an empty payload.
    /// </summary>
    /// <param name="errorCode">The error code, for example <c>InternalFailure</c>.</param>
    /// <param name="errorMessage">The error message.</param>
    /// <returns>The frame.</returns>
    public static byte[] EncodeError(string errorCode, string errorMessage) =>
        EncodeFrame(
            [
                EventStreamHeader.String(EventStreamStrings.ErrorCodeHeader, errorCode),
                EventStreamHeader.String(EventStreamStrings.ErrorMessageHeader, errorMessage),
                EventStreamHeader.String(EventStreamStrings.MessageTypeHeader, EventStreamStrings.ErrorMessageType),
            ],
            []);

    private static int CheckedFrameLength(long headersLength, int payloadLength)
    {
        long total = EventStreamReader.MinFrameLength + headersLength + payloadLength;
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"The frame would be {total} bytes long, more than an array can hold.");
        }

        return (int)total;
    }

    /// <summary>Writes a frame; <paramref name="frame"/> is exactly the frame length.</summary>
    private static void WriteFrameCore(Span<byte> frame, ReadOnlySpan<EventStreamHeader> headers, ReadOnlySpan<byte> payload)
    {
        int p = EventStreamReader.PreludeLength;
        foreach (ref readonly EventStreamHeader header in headers)
        {
            p += header.WriteTo(frame[p..]);
        }

        int headersLength = p - EventStreamReader.PreludeLength;
        payload.CopyTo(frame[p..]);

        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)frame.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame[4..], (uint)headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(frame[8..], Crc32.HashToUInt32(frame[..8]));
        BinaryPrimitives.WriteUInt32BigEndian(frame[^4..], Crc32.HashToUInt32(frame[..^4]));
    }
}
