using System.Net;

namespace Strands.Bedrock;

/// <summary>The model, inference profile or other resource named by the request does not exist (HTTP 404).</summary>
public sealed class ResourceNotFoundException : BedrockRuntimeException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ResourceNotFoundException()
        : base(BedrockErrors.ResourceNotFound)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ResourceNotFoundException(string message)
        : this(message, null, null, null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ResourceNotFoundException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for a response of the service.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, when the error came in a response.</param>
    /// <param name="requestId">The service's request id.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ResourceNotFoundException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(BedrockErrors.ResourceNotFound, message, statusCode, requestId, innerException)
    {
    }
}
