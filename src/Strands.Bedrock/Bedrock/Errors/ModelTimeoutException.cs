using System.Net;

namespace Strands.Bedrock;

/// <summary>The model took too long to process the request (HTTP 408). Not retried: the service model does not mark it <c>@retryable</c>, and AWS standard retry mode does not treat 408 as transient.</summary>
public sealed class ModelTimeoutException : BedrockRuntimeException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ModelTimeoutException()
        : base(BedrockErrors.ModelTimeout)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ModelTimeoutException(string message)
        : this(message, null, null, null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelTimeoutException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for a response of the service.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, when the error came in a response.</param>
    /// <param name="requestId">The service's request id.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelTimeoutException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(BedrockErrors.ModelTimeout, message, statusCode, requestId, innerException)
    {
    }
}
