using System.Net;

namespace Strands.Bedrock;

/// <summary>The caller does not have access to the model or the operation (HTTP 403). Check the IAM policy and that model access is granted in the account and region.</summary>
public sealed class AccessDeniedException : BedrockRuntimeException
{
    /// <summary>The modeled HTTP status of this error: 403.</summary>
    public const HttpStatusCode ModeledStatusCode = (HttpStatusCode)403;

    /// <summary>Creates the exception with a default message.</summary>
    public AccessDeniedException()
        : this("Amazon Bedrock Runtime returned AccessDeniedException.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public AccessDeniedException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public AccessDeniedException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for an error response or an exception frame.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> for an error that arrived inside a stream.</param>
    /// <param name="requestId">The <c>x-amzn-RequestId</c> of the response, if any.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public AccessDeniedException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(message, nameof(AccessDeniedException), statusCode, requestId, innerException)
    {
    }

    /// <inheritdoc/>
    public override ErrorFault Fault => ErrorFault.Client;

    /// <inheritdoc/>
    public override bool IsRetryable => false;
}
