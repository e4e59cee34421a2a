using System.Net;

namespace Strands.Bedrock;

/// <summary>The model took too long to process the request (HTTP 408). Not retried: the service model does not mark it <c>@retryable</c>, and AWS standard retry mode does not treat 408 as transient.</summary>
public sealed class ModelTimeoutException : BedrockRuntimeException
{
    /// <summary>The modeled HTTP status of this error: 408.</summary>
    public const HttpStatusCode ModeledStatusCode = (HttpStatusCode)408;

    /// <summary>Creates the exception with a default message.</summary>
    public ModelTimeoutException()
        : this("Amazon Bedrock Runtime returned ModelTimeoutException.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ModelTimeoutException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelTimeoutException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for an error response or an exception frame.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> for an error that arrived inside a stream.</param>
    /// <param name="requestId">The <c>x-amzn-RequestId</c> of the response, if any.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ModelTimeoutException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(message, nameof(ModelTimeoutException), statusCode, requestId, innerException)
    {
    }

    /// <inheritdoc/>
    public override ErrorFault Fault => ErrorFault.Client;

    /// <inheritdoc/>
    public override bool IsRetryable => false;
}
