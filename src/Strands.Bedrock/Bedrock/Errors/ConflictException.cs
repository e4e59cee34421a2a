using System.Net;

namespace Strands.Bedrock;

/// <summary>The request conflicts with the current state of a resource (HTTP 400). Not in the Converse or ConverseStream error lists; mapped when the service returns it anyway.</summary>
public sealed class ConflictException : BedrockRuntimeException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ConflictException()
        : base(BedrockErrors.Conflict)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ConflictException(string message)
        : this(message, null, null, null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ConflictException(string message, Exception? innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for a response of the service.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, when the error came in a response.</param>
    /// <param name="requestId">The service's request id.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ConflictException(string message, HttpStatusCode? statusCode, string? requestId, Exception? innerException = null)
        : base(BedrockErrors.Conflict, message, statusCode, requestId, innerException)
    {
    }
}
