using System.Net;

namespace Strands.Bedrock;

/// <summary>The service is temporarily unavailable (HTTP 503). Retryable.</summary>
public sealed class ServiceUnavailableException : BedrockRuntimeException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ServiceUnavailableException()
        : base(BedrockErrors.ServiceUnavailable)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ServiceUnavailableException(string message)
        : this(message, null, null, null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ServiceUnavailableException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for a response of the service.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, when the error came in a response.</param>
    /// <param name="requestId">The service's request id.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ServiceUnavailableException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(BedrockErrors.ServiceUnavailable, message, statusCode, requestId, innerException)
    {
    }
}
