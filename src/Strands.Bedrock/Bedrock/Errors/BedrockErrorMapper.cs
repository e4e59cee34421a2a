using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Strands.Bedrock;

/// <summary>
/// Turns Bedrock Runtime error responses and ConverseStream <c>exception</c>/<c>error</c> frames into
/// <see cref="BedrockRuntimeException"/>s, following the restJson1 error rules. Never throws.
/// </summary>
internal static class BedrockErrorMapper
{
    /// <summary>
    /// The most bytes of an error body (or exception-frame payload) the mapper looks at. Callers should read at most
    /// this many bytes of an error response body and pass them; anything beyond is ignored (members that start
    /// before the cut are still found).
    /// </summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>The header that carries the error code (restJson1). Looked up case-insensitively.</summary>
    public const string ErrorTypeHeader = "x-amzn-ErrorType";

    /// <summary>The header that carries the request id.</summary>
    public const string RequestIdHeader = "x-amzn-RequestId";

    /// <summary>The AWS header that carries a retry hint in milliseconds.</summary>
    public const string AmzRetryAfterHeader = "x-amz-retry-after";

    private const int MaxErrorCodeLength = 256;

    private static readonly string[] RequestIdHeaders = [RequestIdHeader, "x-amzn-request-id", "x-amz-request-id"];

    /// <summary>
    /// Maps an HTTP error response. The code comes from the <c>x-amzn-ErrorType</c> header, else the body's
    /// <c>code</c>, else its <c>__type</c>; the message from the body's <c>message</c> or <c>Message</c>.
    /// A response without a recognisable code is mapped by status (500 → <see cref="InternalServerException"/>,
    /// 503 → <see cref="ServiceUnavailableException"/>, 429 → <see cref="ThrottlingException"/>), otherwise to a
    /// <see cref="BedrockRuntimeException"/> whose message names the status.
    /// </summary>
    /// <param name="status">The HTTP status of the response.</param>
    /// <param name="headers">The response headers.</param>
    /// <param name="body">The first bytes of the body, at most <see cref="MaxErrorBodyBytes"/> of them (more are ignored).</param>
    /// <returns>The exception to throw.</returns>
    public static BedrockRuntimeException FromHttpResponse(HttpStatusCode status, HttpResponseHeaders? headers, ReadOnlySpan<byte> body)
    {
        var fields = ParseBody(body);
        var requestId = FirstHeader(headers, RequestIdHeaders);
        var code = SanitizeErrorCode(FirstHeader(headers, ErrorTypeHeader))
            ?? SanitizeErrorCode(fields.Code)
            ?? SanitizeErrorCode(fields.Type);

        BedrockRuntimeException error;
        if (code is not null && BedrockErrors.ByCode.TryGetValue(code, out var known))
        {
            error = known.Create(fields.Message ?? $"{known.Kind.Code} (HTTP {(int)status}).", status, requestId, fields.Extra);
        }
        else if (code is null && BedrockErrors.ForStatus(status) is { } fallback)
        {
            error = BedrockErrors.ByCode[fallback.Code].Create(fields.Message ?? $"Amazon Bedrock Runtime returned HTTP {(int)status} without an error code.", status, requestId, fields.Extra);
        }
        else
        {
            var message = code is null
                ? $"Amazon Bedrock Runtime returned HTTP {(int)status} without an error code" + (fields.Message is null ? "." : $": {fields.Message}")
                : $"Amazon Bedrock Runtime returned HTTP {(int)status} {code}" + (fields.Message is null ? "." : $": {fields.Message}");
            error = new BedrockRuntimeException(message, code ?? BedrockRuntimeException.UnknownErrorCode, status, requestId);
        }

        return WithRetryAfter(error, headers);
    }

    /// <summary>
    /// Maps a ConverseStream frame with <c>:message-type: exception</c>. The error code becomes the PascalCase
    /// shape name (<c>throttlingException</c> → <c>ThrottlingException</c>); <see cref="BedrockRuntimeException.StatusCode"/> is null.
    /// </summary>
    /// <param name="exceptionType">The <c>:exception-type</c> header: the union member name, e.g. <c>modelStreamErrorException</c>.</param>
    /// <param name="payload">The frame payload, a JSON object with <c>message</c> and the error's members.</param>
    /// <returns>The exception to throw.</returns>
    public static BedrockRuntimeException FromExceptionFrame(string? exceptionType, ReadOnlySpan<byte> payload)
    {
        var fields = ParseBody(payload);
        var code = ToPascalCase(SanitizeErrorCode(exceptionType));
        if (code is not null && BedrockErrors.ByCode.TryGetValue(code, out var known))
        {
            return known.Create(fields.Message ?? $"The response stream ended with {known.Kind.Code}.", null, null, fields.Extra);
        }

        code ??= BedrockRuntimeException.UnknownErrorCode;
        return new BedrockRuntimeException(fields.Message ?? $"The response stream ended with {code}.", code, null, null);
    }

    /// <summary>Maps a ConverseStream frame with <c>:message-type: error</c> (an unmodeled error).</summary>
    /// <param name="errorCode">The <c>:error-code</c> header, e.g. <c>InternalFailure</c>.</param>
    /// <param name="errorMessage">The <c>:error-message</c> header.</param>
    /// <returns>A <see cref="BedrockRuntimeException"/> with that code; its status is null.</returns>
    public static BedrockRuntimeException FromErrorFrame(string? errorCode, string? errorMessage)
    {
        var code = string.IsNullOrWhiteSpace(errorCode) ? BedrockRuntimeException.UnknownErrorCode : Truncate(errorCode.Trim());
        var message = string.IsNullOrEmpty(errorMessage) ? $"The response stream ended with error {code}." : errorMessage;
        return new BedrockRuntimeException(message, code, null, null);
    }

    /// <summary>
    /// The restJson1 sanitisation of an error code: cut at the first <c>,</c>, keep what is before the first <c>:</c>,
    /// keep what is after the first <c>#</c>. Returns null for a null or blank code.
    /// </summary>
    internal static string? SanitizeErrorCode(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var value = raw.AsSpan();
        var comma = value.IndexOf(',');
        if (comma >= 0)
        {
            value = value[..comma];
        }

        var colon = value.IndexOf(':');
        if (colon >= 0)
        {
            value = value[..colon];
        }

        var hash = value.IndexOf('#');
        if (hash >= 0)
        {
            value = value[(hash + 1)..];
        }

        value = value.Trim();
        return value.IsEmpty ? null : Truncate(value.ToString());
    }

    private static string Truncate(string value) => value.Length <= MaxErrorCodeLength ? value : value[..MaxErrorCodeLength];

    private static string? ToPascalCase(string? code) =>
        code is null || char.IsUpper(code[0]) ? code : string.Concat(char.ToUpperInvariant(code[0]).ToString(), code.AsSpan(1));

    private static BedrockRuntimeException WithRetryAfter(BedrockRuntimeException error, HttpResponseHeaders? headers)
    {
        error.RetryAfter = ReadRetryAfter(headers);
        return error;
    }

    /// <summary>
    /// The server's retry hint: <c>x-amz-retry-after</c> (milliseconds), else <c>Retry-After</c> as seconds, or as an
    /// HTTP date relative to the response's <c>Date</c> header (ignored without one). Negative hints are ignored.
    /// </summary>
    internal static TimeSpan? ReadRetryAfter(HttpResponseHeaders? headers)
    {
        if (headers is null)
        {
            return null;
        }

        try
        {
            if (FirstHeader(headers, AmzRetryAfterHeader) is { } amz
                && long.TryParse(amz, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                return TimeSpan.FromMilliseconds(Math.Min(ms, (long)TimeSpan.FromDays(1).TotalMilliseconds));
            }

            var retryAfter = headers.RetryAfter;
            if (retryAfter?.Delta is { } delta && delta >= TimeSpan.Zero)
            {
                return delta;
            }

            if (retryAfter?.Date is { } date && headers.Date is { } now && date >= now)
            {
                return date - now;
            }
        }
        catch (FormatException)
        {
            // A malformed header is no hint.
        }

        return null;
    }

    private static string? FirstHeader(HttpResponseHeaders? headers, params ReadOnlySpan<string> names)
    {
        if (headers is null)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (headers.NonValidated.TryGetValues(name, out var values))
            {
                foreach (var value in values)
                {
                    if (!string.IsNullOrWhiteSpace(value))
                    {
                        return value.Trim();
                    }
                }
            }
        }

        return null;
    }

    private static ErrorBody ParseBody(ReadOnlySpan<byte> body)
    {
        var fields = default(ErrorBody);
        if (body.IsEmpty)
        {
            return fields;
        }

        var complete = body.Length <= MaxErrorBodyBytes;
        var reader = new Utf8JsonReader(complete ? body : body[..MaxErrorBodyBytes], isFinalBlock: complete, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return fields;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var member = reader.ValueTextEquals("code"u8) ? Member.Code
                    : reader.ValueTextEquals("__type"u8) ? Member.Type
                    : reader.ValueTextEquals("message"u8) ? Member.Message
                    : reader.ValueTextEquals("Message"u8) ? Member.MessageCapital
                    : reader.ValueTextEquals("originalStatusCode"u8) ? Member.OriginalStatusCode
                    : reader.ValueTextEquals("resourceName"u8) ? Member.ResourceName
                    : reader.ValueTextEquals("originalMessage"u8) ? Member.OriginalMessage
                    : Member.Other;

                if (!reader.Read())
                {
                    break;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    if (!reader.TrySkip())
                    {
                        break;
                    }

                    continue;
                }

                switch (member)
                {
                    case Member.Code:
                        fields.Code = ScalarText(ref reader);
                        break;
                    case Member.Type:
                        fields.Type = ScalarText(ref reader);
                        break;
                    case Member.Message:
                        fields.LowerMessage = StringValue(ref reader);
                        break;
                    case Member.MessageCapital:
                        fields.CapitalMessage = StringValue(ref reader);
                        break;
                    case Member.OriginalStatusCode:
                        fields.OriginalStatusCode = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) ? n
                            : reader.TokenType == JsonTokenType.String && int.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n) ? n
                            : null;
                        break;
                    case Member.ResourceName:
                        fields.ResourceName = StringValue(ref reader);
                        break;
                    case Member.OriginalMessage:
                        fields.OriginalMessage = StringValue(ref reader);
                        break;
                    default:
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (an HTML page from a proxy, a truncated body): keep what was read before the fault.
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 inside a string value.
        }

        return fields;
    }

    private static string? StringValue(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString() : null;

    private static string? ScalarText(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => null,
    };

    private enum Member
    {
        Other,
        Code,
        Type,
        Message,
        MessageCapital,
        OriginalStatusCode,
        ResourceName,
        OriginalMessage,
    }

    private struct ErrorBody
    {
        public string? Code;
        public string? Type;
        public string? LowerMessage;
        public string? CapitalMessage;
        public int? OriginalStatusCode;
        public string? ResourceName;
        public string? OriginalMessage;

        public readonly string? Message => string.IsNullOrEmpty(LowerMessage) ? (string.IsNullOrEmpty(CapitalMessage) ? null : CapitalMessage) : LowerMessage;

        public readonly ErrorBodyFields Extra => new(OriginalStatusCode, OriginalMessage, ResourceName);
    }
}
