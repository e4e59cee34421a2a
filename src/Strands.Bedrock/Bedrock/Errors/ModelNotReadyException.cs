using System.Net;

namespace Strands.Bedrock;

/// <summary>The model is not ready to serve requests yet (HTTP 429). The service model marks it <c>@retryable</c>.</summary>
public sealed class ModelNotReadyException : BedrockRuntimeException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ModelNotReadyException()
        : base(BedrockErrors.ModelNotReady)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ModelNotReadyException(string message)
        : this(message, null, null, null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelNotReadyException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for a response of the service.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, when the error came in a response.</param>
    /// <param name="requestId">The service's request id.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelNotReadyException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(BedrockErrors.ModelNotReady, message, statusCode, requestId, innerException)
    {
    }
}
