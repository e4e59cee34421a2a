using System.Globalization;

namespace Strands.Bedrock;

/// <summary>
/// Bedrock Runtime sent something the client cannot decode: a ConverseStream event payload or a Converse response
/// body that is not valid UTF-8, not valid JSON (an escaped lone surrogate such as <c>"\uDC00"</c> included), or not of
/// its shape (a string where a number belongs, a missing member). The event-stream framing itself was intact (framing
/// faults are <see cref="EventStream.EventStreamException"/>s). Error code <see cref="InvalidResponseErrorCode"/>; never
/// retried. The message names the event type and byte offsets, never the payload's content, which may hold prompt text.
/// </summary>
public sealed class MalformedResponseException : BedrockRuntimeException
{
    /// <summary>The <see cref="BedrockRuntimeException.ErrorCode"/> of this error.</summary>
    public const string InvalidResponseErrorCode = "InvalidResponse";

    /// <summary>Creates the exception with a default message.</summary>
    public MalformedResponseException()
        : this("Amazon Bedrock Runtime sent a response that could not be decoded.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public MalformedResponseException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates the exception with a message and the decoding error.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The decoding error.</param>
    public MalformedResponseException(string message, Exception? innerException)
        : this(message, null, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for a payload that could not be decoded.</summary>
    /// <param name="message">The error message; it must not quote the payload.</param>
    /// <param name="eventType">The <c>:event-type</c> of the frame (e.g. <c>contentBlockDelta</c>), or null for a Converse body.</param>
    /// <param name="frameOffset">The byte offset of the frame in the response stream, or null for a Converse body.</param>
    /// <param name="payloadOffset">The byte offset in the payload (or body) where decoding failed, when known.</param>
    /// <param name="innerException">The decoding error, if any.</param>
    public MalformedResponseException(string message, string? eventType, long? frameOffset, long? payloadOffset, Exception? innerException = null)
        : base(message, InvalidResponseErrorCode, statusCode: null, requestId: null, innerException)
    {
        EventType = eventType;
        FrameOffset = frameOffset;
        PayloadOffset = payloadOffset;
    }

    /// <summary>The <c>:event-type</c> of the frame whose payload could not be decoded; null for a Converse response body.</summary>
    public string? EventType { get; }

    /// <summary>The byte offset of that frame from the start of the response stream; null for a Converse response body.</summary>
    public long? FrameOffset { get; }

    /// <summary>The byte offset within the payload (or Converse body) where decoding failed, when the decoder knows it.</summary>
    public long? PayloadOffset { get; }

    /// <inheritdoc/>
    public override ErrorFault Fault => ErrorFault.Server;

    /// <inheritdoc/>
    public override bool IsRetryable => false;

    /// <summary>Builds the exception for a payload of <paramref name="what"/> that failed to decode.</summary>
    /// <param name="what">What was being decoded, e.g. <c>a contentBlockDelta event</c>.</param>
    /// <param name="problem">What is wrong, without payload content, e.g. <c>is not valid UTF-8</c>.</param>
    /// <param name="eventType">The frame's event type, or null for a Converse body.</param>
    /// <param name="frameOffset">The frame's offset in the stream, or null for a Converse body.</param>
    /// <param name="payloadOffset">Where in the payload decoding failed, when known.</param>
    /// <param name="innerException">The decoding error, if any.</param>
    /// <returns>The exception.</returns>
    internal static MalformedResponseException For(string what, string problem, string? eventType, long? frameOffset, long? payloadOffset, Exception? innerException)
    {
        var where = (frameOffset, payloadOffset) switch
        {
            ({ } frame, { } payload) => string.Create(CultureInfo.InvariantCulture, $" (frame at byte {frame} of the stream, payload byte {payload})"),
            ({ } frame, null) => string.Create(CultureInfo.InvariantCulture, $" (frame at byte {frame} of the stream)"),
            (null, { } payload) => string.Create(CultureInfo.InvariantCulture, $" (at byte {payload})"),
            _ => string.Empty,
        };
        return new MalformedResponseException($"Bedrock Runtime sent {what} that {problem}{where}.", eventType, frameOffset, payloadOffset, innerException);
    }
}
