using System.Net;

namespace Strands.Bedrock;

/// <summary>The model failed while processing the request (HTTP 424). <see cref="OriginalStatusCode"/> and <see cref="ResourceName"/> say more.</summary>
public sealed class ModelErrorException : BedrockRuntimeException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ModelErrorException()
        : base(BedrockErrors.ModelError)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ModelErrorException(string message)
        : this(message, null, null, null, null, null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelErrorException(string message, Exception? innerException)
        : this(message, null, null, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for a response of the service.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, when the error came in a response.</param>
    /// <param name="requestId">The service's request id.</param>
    /// <param name="originalStatusCode">The model's own HTTP status.</param>
    /// <param name="resourceName">The resource that failed.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelErrorException(string message, HttpStatusCode? statusCode, string? requestId, int? originalStatusCode, string? resourceName, Exception? innerException = null)
        : base(BedrockErrors.ModelError, message, statusCode, requestId, innerException)
    {
        OriginalStatusCode = originalStatusCode;
        ResourceName = resourceName;
    }

    /// <summary>The model's own HTTP status, when the service reported it.</summary>
    public int? OriginalStatusCode { get; }

    /// <summary>The resource that failed, when the service reported it.</summary>
    public string? ResourceName { get; }
}
