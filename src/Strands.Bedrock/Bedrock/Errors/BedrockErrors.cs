using System.Collections.Frozen;
using System.Net;

namespace Strands.Bedrock;

/// <summary>
/// What a modeled Bedrock Runtime error is: its code (the exception's name), whose fault it is, and whether the
/// client retries it.
/// </summary>
/// <param name="Code">The error code, e.g. <c>ThrottlingException</c>.</param>
/// <param name="Fault">Whose fault the error is.</param>
/// <param name="IsRetryable">Whether the standard retry policy retries it.</param>
internal sealed record BedrockErrorKind(string Code, ErrorFault Fault, bool IsRetryable);

/// <summary>
/// The one table of the modeled Bedrock Runtime errors (from the Smithy model's error shapes): each exception type
/// takes its code, fault and retryability from here, and the error mapper finds the type to create by code.
/// </summary>
internal static class BedrockErrors
{
    /// <summary>The <c>AccessDeniedException</c> error.</summary>
    public static readonly BedrockErrorKind AccessDenied = new(nameof(AccessDeniedException), ErrorFault.Client, IsRetryable: false);

    /// <summary>The <c>ConflictException</c> error.</summary>
    public static readonly BedrockErrorKind Conflict = new(nameof(ConflictException), ErrorFault.Client, IsRetryable: false);

    /// <summary>The <c>InternalServerException</c> error.</summary>
    public static readonly BedrockErrorKind InternalServer = new(nameof(InternalServerException), ErrorFault.Server, IsRetryable: true);

    /// <summary>The <c>ModelErrorException</c> error.</summary>
    public static readonly BedrockErrorKind ModelError = new(nameof(ModelErrorException), ErrorFault.Client, IsRetryable: false);

    /// <summary>The <c>ModelNotReadyException</c> error.</summary>
    public static readonly BedrockErrorKind ModelNotReady = new(nameof(ModelNotReadyException), ErrorFault.Client, IsRetryable: true);

    /// <summary>The <c>ModelStreamErrorException</c> error.</summary>
    public static readonly BedrockErrorKind ModelStreamError = new(nameof(ModelStreamErrorException), ErrorFault.Client, IsRetryable: false);

    /// <summary>The <c>ModelTimeoutException</c> error.</summary>
    public static readonly BedrockErrorKind ModelTimeout = new(nameof(ModelTimeoutException), ErrorFault.Client, IsRetryable: false);

    /// <summary>The <c>ResourceNotFoundException</c> error.</summary>
    public static readonly BedrockErrorKind ResourceNotFound = new(nameof(ResourceNotFoundException), ErrorFault.Client, IsRetryable: false);

    /// <summary>The <c>ServiceQuotaExceededException</c> error.</summary>
    public static readonly BedrockErrorKind ServiceQuotaExceeded = new(nameof(ServiceQuotaExceededException), ErrorFault.Client, IsRetryable: false);

    /// <summary>The <c>ServiceUnavailableException</c> error.</summary>
    public static readonly BedrockErrorKind ServiceUnavailable = new(nameof(ServiceUnavailableException), ErrorFault.Server, IsRetryable: true);

    /// <summary>The <c>ThrottlingException</c> error.</summary>
    public static readonly BedrockErrorKind Throttling = new(nameof(ThrottlingException), ErrorFault.Client, IsRetryable: true);

    /// <summary>The <c>ValidationException</c> error.</summary>
    public static readonly BedrockErrorKind Validation = new(nameof(ValidationException), ErrorFault.Client, IsRetryable: false);

    /// <summary>Creates the exception of an error kind: message, HTTP status, request id and the error body's extra members.</summary>
    public delegate BedrockRuntimeException Factory(string message, HttpStatusCode? status, string? requestId, ErrorBodyFields fields);

    /// <summary>Every modeled error by code (case-insensitive), with the factory of its exception.</summary>
    public static FrozenDictionary<string, (BedrockErrorKind Kind, Factory Create)> ByCode { get; } = new Dictionary<string, (BedrockErrorKind, Factory)>(StringComparer.OrdinalIgnoreCase)
    {
        [AccessDenied.Code] = (AccessDenied, (m, s, r, _) => new AccessDeniedException(m, s, r)),
        [Conflict.Code] = (Conflict, (m, s, r, _) => new ConflictException(m, s, r)),
        [InternalServer.Code] = (InternalServer, (m, s, r, _) => new InternalServerException(m, s, r)),
        [ModelError.Code] = (ModelError, (m, s, r, f) => new ModelErrorException(m, s, r, f.OriginalStatusCode, f.ResourceName)),
        [ModelNotReady.Code] = (ModelNotReady, (m, s, r, _) => new ModelNotReadyException(m, s, r)),
        [ModelStreamError.Code] = (ModelStreamError, (m, s, r, f) => new ModelStreamErrorException(m, s, r, f.OriginalStatusCode, f.OriginalMessage)),
        [ModelTimeout.Code] = (ModelTimeout, (m, s, r, _) => new ModelTimeoutException(m, s, r)),
        [ResourceNotFound.Code] = (ResourceNotFound, (m, s, r, _) => new ResourceNotFoundException(m, s, r)),
        [ServiceQuotaExceeded.Code] = (ServiceQuotaExceeded, (m, s, r, _) => new ServiceQuotaExceededException(m, s, r)),
        [ServiceUnavailable.Code] = (ServiceUnavailable, (m, s, r, _) => new ServiceUnavailableException(m, s, r)),
        [Throttling.Code] = (Throttling, (m, s, r, _) => new ThrottlingException(m, s, r)),
        [Validation.Code] = (Validation, (m, s, r, _) => new ValidationException(m, s, r)),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The error a response without a recognisable code stands for, by its status: 500, 503 and 429; otherwise null.</summary>
    public static BedrockErrorKind? ForStatus(HttpStatusCode status) => (int)status switch
    {
        500 => InternalServer,
        503 => ServiceUnavailable,
        429 => Throttling,
        _ => null,
    };
}

/// <summary>The members of an error body beyond the message that some errors carry.</summary>
/// <param name="OriginalStatusCode">The model's own status (<c>originalStatusCode</c>).</param>
/// <param name="OriginalMessage">The model's own message (<c>originalMessage</c>).</param>
/// <param name="ResourceName">The resource that failed (<c>resourceName</c>).</param>
internal readonly record struct ErrorBodyFields(int? OriginalStatusCode, string? OriginalMessage, string? ResourceName);
