using System.Net;

namespace Strands.Bedrock;

/// <summary>
/// An error returned by Amazon Bedrock Runtime: either as an HTTP error response, or inside a ConverseStream
/// response as an <c>exception</c> or <c>error</c> frame. Modeled errors are thrown as the derived types
/// (<see cref="ThrottlingException"/>, <see cref="ValidationException"/>, …); any other error code is thrown as this type.
/// </summary>
public class BedrockRuntimeException : Exception
{
    /// <summary>The error code used when neither the response headers nor the body name one.</summary>
    public const string UnknownErrorCode = "UnknownError";

    /// <summary>Creates an exception with the <see cref="UnknownErrorCode"/> code.</summary>
    public BedrockRuntimeException()
        : this("Amazon Bedrock Runtime returned an error.", UnknownErrorCode, null, null, null)
    {
    }

    /// <summary>Creates an exception with a message and the <see cref="UnknownErrorCode"/> code.</summary>
    /// <param name="message">The error message.</param>
    public BedrockRuntimeException(string message)
        : this(message, UnknownErrorCode, null, null, null)
    {
    }

    /// <summary>Creates an exception with a message, an inner exception and the <see cref="UnknownErrorCode"/> code.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public BedrockRuntimeException(string message, Exception? innerException)
        : this(message, UnknownErrorCode, null, null, innerException)
    {
    }

    /// <summary>Creates an exception for a service error.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="errorCode">The error code, e.g. <c>ThrottlingException</c>.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> for an error that arrived inside a stream.</param>
    /// <param name="requestId">The <c>x-amzn-RequestId</c> of the response, if any.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public BedrockRuntimeException(string message, string errorCode, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = string.IsNullOrEmpty(errorCode) ? UnknownErrorCode : errorCode;
        StatusCode = statusCode;
        RequestId = requestId;
    }

    /// <summary>Creates the exception of a modeled error, which gives its code, fault and retryability.</summary>
    private protected BedrockRuntimeException(BedrockErrorKind kind, string? message = null, HttpStatusCode? statusCode = null, string? requestId = null, Exception? innerException = null)
        : this(message ?? $"Amazon Bedrock Runtime returned {kind.Code}.", kind.Code, statusCode, requestId, innerException)
    {
        _kind = kind;
    }

    private readonly BedrockErrorKind? _kind;
    private List<string>? _notes;

    /// <summary>
    /// Hints added while the error travelled up, e.g. the region and model id a <c>BedrockModel</c> called, or a link
    /// to documentation. They are appended to <see cref="Message"/>, one per line.
    /// </summary>
    public IReadOnlyList<string> Notes => _notes ?? (IReadOnlyList<string>)[];

    /// <inheritdoc />
    public override string Message => _notes is null ? base.Message : base.Message + "\n" + string.Join("\n", _notes);

    /// <summary>Adds a hint to the error (not thread-safe: done once, before the error is rethrown).</summary>
    /// <param name="note">The hint.</param>
    internal void AddNote(string note) => (_notes ??= []).Add(note);

    /// <summary>
    /// The error code: the modeled shape name for modeled errors (e.g. <c>ThrottlingException</c>, also for errors
    /// that arrived as <c>throttlingException</c> stream frames), the <c>:error-code</c> of an <c>error</c> frame,
    /// the sanitised code of an unmodeled HTTP error, or <see cref="UnknownErrorCode"/>.
    /// </summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status of the error response; <see langword="null"/> for an error that arrived inside a stream.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The request id (<c>x-amzn-RequestId</c>) to quote to AWS support, if the response carried one.</summary>
    public string? RequestId { get; }

    /// <summary>
    /// How many requests the client sent for the call that ended with this error, retries included (at most the
    /// client's <c>MaxAttempts</c>); 0 when the error was not produced by a <c>BedrockRuntimeClient</c> call.
    /// </summary>
    public int Attempts { get; internal set; }

    /// <summary>How long the service asked the caller to wait before retrying (<c>Retry-After</c> or <c>x-amz-retry-after</c>), if it did.</summary>
    public TimeSpan? RetryAfter { get; internal set; }

    /// <summary>Whether the error is the caller's or the service's fault. Derived from the HTTP status unless the error is modeled.</summary>
    public virtual ErrorFault Fault => _kind?.Fault ?? StatusCode switch
    {
        null => ErrorFault.Unknown,
        var s when (int)s >= 500 => ErrorFault.Server,
        var s when (int)s >= 400 => ErrorFault.Client,
        _ => ErrorFault.Unknown,
    };

    /// <summary>
    /// Whether sending the same request again may succeed: throttling and transient errors as AWS standard retry mode
    /// defines them (HTTP 429, 500, 502, 503, 504 and the standard throttling and transient error codes).
    /// The client retries such errors only before a response stream has started.
    /// </summary>
    public virtual bool IsRetryable => _kind?.IsRetryable ??
        StatusCode is (HttpStatusCode)429 or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
        || BedrockErrorCodes.IsThrottlingCode(ErrorCode)
        || BedrockErrorCodes.IsTransientCode(ErrorCode);
}
