using System.Net;

namespace Strands.Bedrock;

/// <summary>The model failed while streaming its response (an exception frame of ConverseStream). <see cref="OriginalStatusCode"/> and <see cref="OriginalMessage"/> carry the model's own error.</summary>
public sealed class ModelStreamErrorException : BedrockRuntimeException
{
    /// <summary>The modeled HTTP status of this error: 424.</summary>
    public const HttpStatusCode ModeledStatusCode = (HttpStatusCode)424;

    /// <summary>Creates the exception with a default message.</summary>
    public ModelStreamErrorException()
        : this("Amazon Bedrock Runtime returned ModelStreamErrorException.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ModelStreamErrorException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelStreamErrorException(string message, Exception? innerException)
        : this(message, null, null, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for an error response or an exception frame.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> for an error that arrived inside a stream.</param>
    /// <param name="requestId">The <c>x-amzn-RequestId</c> of the response, if any.</param>
    /// <param name="originalStatusCode">The status code the model itself returned, if the service reported it.</param>
    /// <param name="originalMessage">The message the model itself returned, if the service reported it.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ModelStreamErrorException(string message, HttpStatusCode? statusCode, string? requestId, int? originalStatusCode, string? originalMessage, Exception? innerException = null)
        : base(message, nameof(ModelStreamErrorException), statusCode, requestId, innerException)
    {
        OriginalStatusCode = originalStatusCode;
        OriginalMessage = originalMessage;
    }

    /// <summary>The status code the model itself returned, if the service reported it.</summary>
    public int? OriginalStatusCode { get; }

    /// <summary>The message the model itself returned, if the service reported it.</summary>
    public string? OriginalMessage { get; }

    /// <inheritdoc/>
    public override ErrorFault Fault => ErrorFault.Client;

    /// <inheritdoc/>
    public override bool IsRetryable => false;
}
