using System.Net;

namespace Strands.Bedrock;

/// <summary>The model failed while processing the request (HTTP 424). <see cref="OriginalStatusCode"/> and <see cref="ResourceName"/> say more.</summary>
public sealed class ModelErrorException : BedrockRuntimeException
{
    /// <summary>The modeled HTTP status of this error: 424.</summary>
    public const HttpStatusCode ModeledStatusCode = (HttpStatusCode)424;

    /// <summary>Creates the exception with a default message.</summary>
    public ModelErrorException()
        : this("Amazon Bedrock Runtime returned ModelErrorException.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ModelErrorException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelErrorException(string message, Exception? innerException)
        : this(message, null, null, null, null, innerException)
    {
    }

    /// <summary>Creates the exception for an error response or an exception frame.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> for an error that arrived inside a stream.</param>
    /// <param name="requestId">The <c>x-amzn-RequestId</c> of the response, if any.</param>
    /// <param name="originalStatusCode">The HTTP status the model itself returned, if the service reported it.</param>
    /// <param name="resourceName">The resource name of the failed model, if the service reported it.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ModelErrorException(string message, HttpStatusCode? statusCode, string? requestId, int? originalStatusCode, string? resourceName, Exception? innerException = null)
        : base(message, nameof(ModelErrorException), statusCode, requestId, innerException)
    {
        OriginalStatusCode = originalStatusCode;
        ResourceName = resourceName;
    }

    /// <summary>The HTTP status the model itself returned, if the service reported it.</summary>
    public int? OriginalStatusCode { get; }

    /// <summary>The resource name of the failed model, if the service reported it.</summary>
    public string? ResourceName { get; }

    /// <inheritdoc/>
    public override ErrorFault Fault => ErrorFault.Client;

    /// <inheritdoc/>
    public override bool IsRetryable => false;
}
