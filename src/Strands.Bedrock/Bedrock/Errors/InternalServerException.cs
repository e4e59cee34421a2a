using System.Net;

namespace Strands.Bedrock;

/// <summary>The service failed while processing the request (HTTP 500). Retryable.</summary>
public sealed class InternalServerException : BedrockRuntimeException
{
    /// <summary>The modeled HTTP status of this error: 500.</summary>
    public const HttpStatusCode ModeledStatusCode = (HttpStatusCode)500;

    /// <summary>Creates the exception with a default message.</summary>
    public InternalServerException()
        : this("Amazon Bedrock Runtime returned InternalServerException.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public InternalServerException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public InternalServerException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for an error response or an exception frame.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> for an error that arrived inside a stream.</param>
    /// <param name="requestId">The <c>x-amzn-RequestId</c> of the response, if any.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public InternalServerException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(message, nameof(InternalServerException), statusCode, requestId, innerException)
    {
    }

    /// <inheritdoc/>
    public override ErrorFault Fault => ErrorFault.Server;

    /// <inheritdoc/>
    public override bool IsRetryable => true;
}
