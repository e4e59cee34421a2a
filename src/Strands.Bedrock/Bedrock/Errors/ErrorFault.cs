namespace Strands.Bedrock;

/// <summary>Which side of the call an error is attributed to, as the service model's <c>error</c> trait says.</summary>
public enum ErrorFault
{
    /// <summary>The fault is not known (an unmodeled error code without an HTTP status).</summary>
    Unknown = 0,

    /// <summary>The request was at fault (HTTP 4xx): correct it before sending it again.</summary>
    Client = 1,

    /// <summary>The service was at fault (HTTP 5xx).</summary>
    Server = 2,
}
