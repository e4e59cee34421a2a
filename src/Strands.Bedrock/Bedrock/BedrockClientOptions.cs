using System.Text;
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
/// <c>AWS_ENDPOINT_URL_BEDROCK_RUNTIME</c>, <c>AWS_ENDPOINT_URL</c>, then the regional endpoint; the retry settings from
/// <see cref="MaxAttempts"/> and <see cref="RetryMode"/>, then <c>AWS_MAX_ATTEMPTS</c> and <c>AWS_RETRY_MODE</c>, then the
/// profile's <c>max_attempts</c> and <c>retry_mode</c>, then 3 attempts in standard mode. <see cref="ToString"/> never
/// shows <see cref="BearerToken"/> or <see cref="Credentials"/>.
/// </remarks>
public sealed record BedrockClientOptions
{
    /// <summary>The default time to wait for response data before giving up: 120 seconds, as Strands sets.</summary>
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The default number of attempts for one call, first attempt included (AWS standard retry mode): 2 retries.</summary>
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

    /// <summary>
    /// An explicit endpoint, e.g. a VPC endpoint or a local fake (<c>http://127.0.0.1:5000</c>). Plain <c>http</c> is
    /// accepted only for a loopback host (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>::1</c>) unless
    /// <see cref="UnsafeAllowHttpToAnyHost"/> is set: the same rule applies to the endpoint environment variables.
    /// </summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>
    /// Allow a plain <c>http</c> endpoint on a host that is not loopback. Off by default: over <c>http</c> the
    /// <c>Authorization</c> header (a SigV4 signature, or the Bedrock API key itself), any <c>X-Amz-Security-Token</c>
    /// and every prompt travel unencrypted, so without this the client refuses such an endpoint at construction.
    /// </summary>
    public bool UnsafeAllowHttpToAnyHost { get; init; }

    /// <summary>Use the FIPS endpoint of the region (<c>bedrock-runtime-fips</c>). Not allowed with <see cref="EndpointUrl"/>.</summary>
    public bool UseFipsEndpoint { get; init; }

    /// <summary>
    /// Attempts per call, the first included, as <c>AWS_MAX_ATTEMPTS</c> counts them: 3 means one call and up to 2
    /// retries. 1 disables retries. botocore's <c>retries={"max_attempts": n}</c> counts retries, so it is
    /// <c>MaxAttempts = n + 1</c>. Null (the default): <c>AWS_MAX_ATTEMPTS</c>, then the profile's <c>max_attempts</c>,
    /// then <see cref="DefaultMaxAttempts"/>.
    /// </summary>
    public int? MaxAttempts { get; init; }

    /// <summary>
    /// How retries are paced: <see cref="Strands.Bedrock.RetryMode.Standard"/> or
    /// <see cref="Strands.Bedrock.RetryMode.Adaptive"/>. Null (the default): <c>AWS_RETRY_MODE</c>, then the profile's
    /// <c>retry_mode</c>, then standard.
    /// </summary>
    public RetryMode? RetryMode { get; init; }

    /// <summary>
    /// How long to wait for a connection to open, TCP and TLS (default 10 s). Enforced by the default transport on the
    /// real clock; ignored when <see cref="HttpClient"/> or <see cref="HttpHandler"/> is set (configure that transport).
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one read may wait for data (default 120 s): the wait for the response headers once the connection is
    /// open, then every read of the body. The timer restarts with each read and runs only while a read is pending, so a
    /// response that keeps arriving, however slowly, is never cut off. <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
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

    /// <summary>
    /// The clock of the client's timers: retry back-off, the adaptive rate limiter, and <see cref="ReadTimeout"/> (tests
    /// substitute a fake one; <see cref="ConnectTimeout"/> runs on the real clock). Default:
    /// <see cref="System.TimeProvider.System"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Prints the options without secrets: <see cref="BearerToken"/> and <see cref="Credentials"/> are redacted.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Region = ").Append(Region);
        builder.Append(", Credentials = ").Append(Credentials is null ? "" : $"<{Credentials.GetType().Name}, redacted>");
        builder.Append(", ProfileName = ").Append(ProfileName);
        builder.Append(", BearerToken = ").Append(BearerToken is null ? "" : "<redacted>");
        builder.Append(", EndpointUrl = ").Append(EndpointUrl is null ? "" : WithoutUserInfo(EndpointUrl));
        builder.Append(", UnsafeAllowHttpToAnyHost = ").Append(UnsafeAllowHttpToAnyHost);
        builder.Append(", UseFipsEndpoint = ").Append(UseFipsEndpoint);
        builder.Append(", MaxAttempts = ").Append(MaxAttempts);
        builder.Append(", RetryMode = ").Append(RetryMode);
        builder.Append(", ConnectTimeout = ").Append(ConnectTimeout);
        builder.Append(", ReadTimeout = ").Append(ReadTimeout);
        builder.Append(", HttpClient = ").Append(HttpClient?.GetType().Name);
        builder.Append(", HttpHandler = ").Append(HttpHandler?.GetType().Name);
        builder.Append(", UserAgentSuffix = ").Append(UserAgentSuffix);
        builder.Append(", LoggerFactory = ").Append(LoggerFactory?.GetType().Name);
        builder.Append(", TimeProvider = ").Append(TimeProvider?.GetType().Name);
        return true;
    }

    // An endpoint URL may carry user:password; the client rejects such an endpoint, but ToString may run first.
    private static string WithoutUserInfo(Uri uri) =>
        uri.IsAbsoluteUri && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString()
            : uri.ToString();
}

/// <summary>How the client paces retries, as the AWS SDKs' <c>retry_mode</c> names it.</summary>
public enum RetryMode
{
    /// <summary>
    /// AWS standard mode: exponential back-off with full jitter (at most 20 seconds between attempts) and the per-client
    /// retry quota (500 tokens; a retry costs 5, or 10 after a timeout; a success pays back).
    /// </summary>
    Standard,

    /// <summary>
    /// AWS adaptive mode: standard mode plus a client-side rate limiter that, after a throttling response, holds
    /// attempts back to a send rate that follows the CUBIC curve (cut to 70 % at each throttle, growing back as calls
    /// succeed). It is per client: share one client to pace all calls together.
    /// </summary>
    Adaptive,
}
