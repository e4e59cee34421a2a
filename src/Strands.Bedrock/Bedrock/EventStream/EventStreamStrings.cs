namespace Strands.Bedrock.EventStream;

/// <summary>
/// Header names and values that occur in Bedrock event streams, with a lookup from UTF-8 bytes to one cached
/// string instance so that decoding a frame allocates no strings.
/// </summary>
internal static class EventStreamStrings
{
    internal const string MessageTypeHeader = ":message-type";
    internal const string EventTypeHeader = ":event-type";
    internal const string ExceptionTypeHeader = ":exception-type";
    internal const string ContentTypeHeader = ":content-type";
    internal const string ErrorCodeHeader = ":error-code";
    internal const string ErrorMessageHeader = ":error-message";
    internal const string DateHeader = ":date";
    internal const string ChunkSignatureHeader = ":chunk-signature";

    internal const string EventMessageType = "event";
    internal const string ExceptionMessageType = "exception";
    internal const string ErrorMessageType = "error";
    internal const string ApplicationJson = "application/json";

    /// <summary>Returns the cached string whose UTF-8 encoding is <paramref name="utf8"/>, or <see langword="null"/>.</summary>
    internal static string? Find(ReadOnlySpan<byte> utf8)
    {
        // Dispatch on the length first; each candidate is then one vectorised comparison.
        switch (utf8.Length)
        {
            case 5:
                return utf8.SequenceEqual("event"u8) ? EventMessageType
                    : utf8.SequenceEqual("error"u8) ? ErrorMessageType
                    : utf8.SequenceEqual(":date"u8) ? DateHeader
                    : null;
            case 8:
                return utf8.SequenceEqual("metadata"u8) ? "metadata" : null;
            case 9:
                return utf8.SequenceEqual("exception"u8) ? ExceptionMessageType : null;
            case 11:
                return utf8.SequenceEqual(":event-type"u8) ? EventTypeHeader
                    : utf8.SequenceEqual(":error-code"u8) ? ErrorCodeHeader
                    : utf8.SequenceEqual("messageStop"u8) ? "messageStop"
                    : null;
            case 12:
                return utf8.SequenceEqual("messageStart"u8) ? "messageStart" : null;
            case 13:
                return utf8.SequenceEqual(":message-type"u8) ? MessageTypeHeader
                    : utf8.SequenceEqual(":content-type"u8) ? ContentTypeHeader
                    : null;
            case 14:
                return utf8.SequenceEqual(":error-message"u8) ? ErrorMessageHeader : null;
            case 15:
                return utf8.SequenceEqual(":exception-type"u8) ? ExceptionTypeHeader : null;
            case 16:
                return utf8.SequenceEqual("application/json"u8) ? ApplicationJson
                    : utf8.SequenceEqual("contentBlockStop"u8) ? "contentBlockStop"
                    : utf8.SequenceEqual(":chunk-signature"u8) ? ChunkSignatureHeader
                    : null;
            case 17:
                return utf8.SequenceEqual("contentBlockDelta"u8) ? "contentBlockDelta"
                    : utf8.SequenceEqual("contentBlockStart"u8) ? "contentBlockStart"
                    : null;
            case 19:
                return utf8.SequenceEqual("validationException"u8) ? "validationException"
                    : utf8.SequenceEqual("throttlingException"u8) ? "throttlingException"
                    : null;
            case 23:
                return utf8.SequenceEqual("internalServerException"u8) ? "internalServerException" : null;
            case 25:
                return utf8.SequenceEqual("modelStreamErrorException"u8) ? "modelStreamErrorException" : null;
            case 27:
                return utf8.SequenceEqual("serviceUnavailableException"u8) ? "serviceUnavailableException" : null;
            default:
                return null;
        }
    }
}
