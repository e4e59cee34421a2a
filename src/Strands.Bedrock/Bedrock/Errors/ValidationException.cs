using System.Net;

namespace Strands.Bedrock;

/// <summary>The request does not satisfy the constraints of the operation or of the model (HTTP 400).</summary>
public sealed class ValidationException : BedrockRuntimeException
{
    /// <summary>The modeled HTTP status of this error: 400.</summary>
    public const HttpStatusCode ModeledStatusCode = (HttpStatusCode)400;

    /// <summary>Creates the exception with a default message.</summary>
    public ValidationException()
        : this("Amazon Bedrock Runtime returned ValidationException.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ValidationException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ValidationException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for an error response or an exception frame.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> for an error that arrived inside a stream.</param>
    /// <param name="requestId">The <c>x-amzn-RequestId</c> of the response, if any.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ValidationException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(message, nameof(ValidationException), statusCode, requestId, innerException)
    {
    }

    /// <inheritdoc/>
    public override ErrorFault Fault => ErrorFault.Client;

    /// <inheritdoc/>
    public override bool IsRetryable => false;
}
