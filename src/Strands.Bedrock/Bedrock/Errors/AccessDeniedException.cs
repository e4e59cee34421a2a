using System.Net;

namespace Strands.Bedrock;

/// <summary>The caller does not have access to the model or the operation (HTTP 403). Check the IAM policy and that model access is granted in the account and region.</summary>
public sealed class AccessDeniedException : BedrockRuntimeException
{
    /// <summary>Creates the exception with a default message.</summary>
    public AccessDeniedException()
        : base(BedrockErrors.AccessDenied)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public AccessDeniedException(string message)
        : this(message, null, null, null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public AccessDeniedException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for a response of the service.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, when the error came in a response.</param>
    /// <param name="requestId">The service's request id.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public AccessDeniedException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(BedrockErrors.AccessDenied, message, statusCode, requestId, innerException)
    {
    }
}
