using System.Net;

namespace Strands.Bedrock;

/// <summary>The request was throttled (HTTP 429). Retryable; Strands surfaces it as a throttling error of the model.</summary>
public sealed class ThrottlingException : BedrockRuntimeException
{
    /// <summary>The modeled HTTP status of this error: 429.</summary>
    public const HttpStatusCode ModeledStatusCode = (HttpStatusCode)429;

    /// <summary>Creates the exception with a default message.</summary>
    public ThrottlingException()
        : this("Amazon Bedrock Runtime returned ThrottlingException.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ThrottlingException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ThrottlingException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for an error response or an exception frame.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> for an error that arrived inside a stream.</param>
    /// <param name="requestId">The <c>x-amzn-RequestId</c> of the response, if any.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ThrottlingException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(message, nameof(ThrottlingException), statusCode, requestId, innerException)
    {
    }

    /// <inheritdoc/>
    public override ErrorFault Fault => ErrorFault.Client;

    /// <inheritdoc/>
    public override bool IsRetryable => true;
}
