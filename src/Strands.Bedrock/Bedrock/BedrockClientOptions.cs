using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace Strands.Bedrock;

/// <summary>
/// How a <c>BedrockRuntimeClient</c> reaches Amazon Bedrock: region, credentials, endpoint, retries,
/// timeouts and transport. The .NET counterpart of Strands' <c>boto_session</c> and <c>boto_client_config</c>.
/// </summary>
/// <remarks>
/// Every member is optional. Unset members are resolved the way the AWS SDKs resolve them:
/// the region from <see cref="Region"/>, then <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile, and
/// finally <c>us-west-2</c>; credentials from <see cref="Credentials"/>, then <see cref="ProfileName"/>, then the
/// default AWS credential chain; the endpoint from <see cref="EndpointUrl"/>, then
/// <c>AWS_ENDPOINT_URL_BEDROCK_RUNTIME</c>, <c>AWS_ENDPOINT_URL</c>, then the regional endpoint.
/// </remarks>
public sealed record BedrockClientOptions
{
    /// <summary>The default time to wait for response data before giving up: 120 seconds, as Strands sets.</summary>
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The default number of attempts for one call, first attempt included (AWS standard retry mode).</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>The AWS region system name, e.g. <c>us-east-1</c>.</summary>
    public string? Region { get; init; }

    /// <summary>Explicit credentials. They take precedence over <see cref="ProfileName"/> and the default chain.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>A profile of the shared AWS config and credentials files to take credentials and region from.</summary>
    public string? ProfileName { get; init; }

    /// <summary>
    /// A Bedrock API key, sent as <c>Authorization: Bearer</c> instead of a SigV4 signature.
    /// When unset, <c>AWS_BEARER_TOKEN_BEDROCK</c> is used if present. Explicit <see cref="Credentials"/> win over
    /// the environment variable, but not over this property.
    /// </summary>
    public string? BearerToken { get; init; }

    /// <summary>An explicit endpoint, e.g. a VPC endpoint or a local fake (<c>http://127.0.0.1:5000</c>).</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>Use the FIPS endpoint of the region (<c>bedrock-runtime-fips</c>). Not allowed with <see cref="EndpointUrl"/>.</summary>
    public bool UseFipsEndpoint { get; init; }

    /// <summary>Attempts per call including the first (default 3). 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    /// <summary>How retries are paced. Only <see cref="Strands.Bedrock.RetryMode.Standard"/> is implemented.</summary>
    public RetryMode RetryMode { get; init; } = RetryMode.Standard;

    /// <summary>How long to wait for a TCP (and TLS) connection. Default: 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for response headers, and then between two reads of the body (default 120 s).</summary>
    public TimeSpan ReadTimeout { get; init; } = DefaultReadTimeout;

    /// <summary>
    /// An <see cref="System.Net.Http.HttpClient"/> to send requests with. Its handler chain must not sign requests:
    /// the client adds authentication headers itself. The client never disposes it.
    /// </summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>
    /// The innermost handler that puts requests on the wire (default: a <see cref="SocketsHttpHandler"/>).
    /// Ignored when <see cref="HttpClient"/> is set. The client disposes it with itself.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Text appended to the User-Agent header.</summary>
    public string? UserAgentSuffix { get; init; }

    /// <summary>Where the client logs. Credentials, signatures and (above Trace) prompt content are never logged.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock used for retry back-off (tests substitute a fake one). Default: <see cref="System.TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>How the client paces retries.</summary>
public enum RetryMode
{
    /// <summary>AWS standard mode: exponential back-off with full jitter, at most 20 seconds between attempts.</summary>
    Standard,
}
