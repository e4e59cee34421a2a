using System.Net;

namespace Strands.Bedrock;

/// <summary>The model, inference profile or other resource named by the request does not exist (HTTP 404).</summary>
public sealed class ResourceNotFoundException : BedrockRuntimeException
{
    /// <summary>The modeled HTTP status of this error: 404.</summary>
    public const HttpStatusCode ModeledStatusCode = (HttpStatusCode)404;

    /// <summary>Creates the exception with a default message.</summary>
    public ResourceNotFoundException()
        : this("Amazon Bedrock Runtime returned ResourceNotFoundException.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ResourceNotFoundException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ResourceNotFoundException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for an error response or an exception frame.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> for an error that arrived inside a stream.</param>
    /// <param name="requestId">The <c>x-amzn-RequestId</c> of the response, if any.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ResourceNotFoundException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(message, nameof(ResourceNotFoundException), statusCode, requestId, innerException)
    {
    }

    /// <inheritdoc/>
    public override ErrorFault Fault => ErrorFault.Client;

    /// <inheritdoc/>
    public override bool IsRetryable => false;
}
