using System.Net;

namespace Strands.Bedrock;

/// <summary>The model failed while streaming its response (an exception frame of ConverseStream). <see cref="OriginalStatusCode"/> and <see cref="OriginalMessage"/> carry the model's own error.</summary>
public sealed class ModelStreamErrorException : BedrockRuntimeException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ModelStreamErrorException()
        : base(BedrockErrors.ModelStreamError)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ModelStreamErrorException(string message)
        : this(message, null, null, null, null, null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelStreamErrorException(string message, Exception? innerException)
        : this(message, null, null, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for a response of the service.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, when the error came in a response.</param>
    /// <param name="requestId">The service's request id.</param>
    /// <param name="originalStatusCode">The model's own HTTP status.</param>
    /// <param name="originalMessage">The model's own message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelStreamErrorException(string message, HttpStatusCode? statusCode, string? requestId, int? originalStatusCode, string? originalMessage, Exception? innerException = null)
        : base(BedrockErrors.ModelStreamError, message, statusCode, requestId, innerException)
    {
        OriginalStatusCode = originalStatusCode;
        OriginalMessage = originalMessage;
    }

    /// <summary>The model's own HTTP status, when the service reported it.</summary>
    public int? OriginalStatusCode { get; }

    /// <summary>The model's own message, when the service reported it.</summary>
    public string? OriginalMessage { get; }
}
