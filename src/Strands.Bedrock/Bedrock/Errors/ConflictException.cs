using System.Net;

namespace Strands.Bedrock;

/// <summary>The request conflicts with the current state of a resource (HTTP 400). Not in the Converse or ConverseStream error lists; mapped when the service returns it anyway.</summary>
public sealed class ConflictException : BedrockRuntimeException
{
    /// <summary>The modeled HTTP status of this error: 400.</summary>
    public const HttpStatusCode ModeledStatusCode = (HttpStatusCode)400;

    /// <summary>Creates the exception with a default message.</summary>
    public ConflictException()
        : this("Amazon Bedrock Runtime returned ConflictException.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ConflictException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ConflictException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for an error response or an exception frame.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> for an error that arrived inside a stream.</param>
    /// <param name="requestId">The <c>x-amzn-RequestId</c> of the response, if any.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ConflictException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(message, nameof(ConflictException), statusCode, requestId, innerException)
    {
    }

    /// <inheritdoc/>
    public override ErrorFault Fault => ErrorFault.Client;

    /// <inheritdoc/>
    public override bool IsRetryable => false;
}
