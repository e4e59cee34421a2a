using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Strands.Bedrock;

/// <summary>
/// Builds the <see cref="HttpMessageHandler"/> chain of a client: an authentication handler
/// (<see cref="SigV4SigningHandler"/> for service <c>bedrock</c>, or <see cref="BearerTokenHandler"/>) over the
/// transport (<see cref="BedrockClientOptions.HttpHandler"/>, a forwarder to <see cref="BedrockClientOptions.HttpClient"/>,
/// or a new <see cref="SocketsHttpHandler"/>). Retries belong outside the chain: each attempt is a new
/// <see cref="HttpRequestMessage"/> and is signed afresh.
/// </summary>
internal static class BedrockHandlerChain
{
    /// <summary>The SigV4 signing name of Bedrock Runtime (<c>aws.auth#sigv4</c> name in the service model).</summary>
    public const string SigningName = "bedrock";

    /// <summary>How long a pooled connection lives before it is replaced, so DNS changes are picked up.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Builds the chain. Call it through <c>new HttpMessageInvoker(handler, disposeHandler: true)</c>; disposing
    /// the chain disposes <see cref="BedrockClientOptions.HttpHandler"/> (or the created <see cref="SocketsHttpHandler"/>)
    /// but never <see cref="BedrockClientOptions.HttpClient"/>.
    /// </summary>
    /// <param name="options">The client options.</param>
    /// <param name="region">The resolved region, used as the signing region.</param>
    /// <param name="env">Reads an environment variable (null when unset); used for <c>AWS_BEARER_TOKEN_BEDROCK</c>.</param>
    /// <returns>The outermost handler.</returns>
    /// <exception cref="BedrockCredentialsException">The named profile does not exist or has no credentials.</exception>
    /// <exception cref="ArgumentException">The bearer token is malformed, or the connect timeout is not positive.</exception>
    public static HttpMessageHandler Build(BedrockClientOptions options, string region, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);

        var token = BedrockCredentialResolver.ResolveBearerToken(options, env);
        var credentials = token is null ? BedrockCredentialResolver.ResolveCredentials(options) : null;
        var transport = CreateTransport(options);
        return token is not null
            ? new BearerTokenHandler(token, transport)
            : CreateSigningHandler(credentials!, region, transport);
    }

    /// <summary>A <see cref="SigV4SigningHandler"/> for service <see cref="SigningName"/> in <paramref name="region"/>.</summary>
    /// <param name="credentials">The credentials; resolved by the handler on every send.</param>
    /// <param name="region">The signing region.</param>
    /// <param name="inner">The handler that sends the signed request.</param>
    /// <returns>The signing handler.</returns>
    public static DelegatingHandler CreateSigningHandler(AWSCredentials credentials, string region, HttpMessageHandler inner)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(inner);
        return new SigV4SigningHandler(credentials, RegionEndpoint.GetBySystemName(region), SigningName, inner);
    }

    /// <summary>
    /// The transport: <see cref="BedrockClientOptions.HttpHandler"/>, else a forwarder to
    /// <see cref="BedrockClientOptions.HttpClient"/>, else <see cref="CreateSocketsHandler"/>.
    /// </summary>
    /// <param name="options">The client options.</param>
    /// <returns>The innermost handler.</returns>
    public static HttpMessageHandler CreateTransport(BedrockClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.HttpHandler is { } handler)
        {
            return handler;
        }

        return options.HttpClient is { } client ? new HttpClientForwardingHandler(client) : CreateSocketsHandler(options);
    }

    /// <summary>
    /// The default transport: no redirects, no cookies, no automatic decompression, connections recycled every
    /// <see cref="PooledConnectionLifetime"/>, and <see cref="BedrockClientOptions.ConnectTimeout"/> for TCP and TLS, during
    /// which the request's read timer is stopped (<see cref="ConnectionPhase"/>).
    /// </summary>
    /// <param name="options">The client options.</param>
    /// <returns>A new handler.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The connect timeout is neither positive nor infinite.</exception>
    public static SocketsHttpHandler CreateSocketsHandler(BedrockClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ConnectTimeout <= TimeSpan.Zero && options.ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ConnectTimeout, "BedrockClientOptions.ConnectTimeout must be positive.");
        }

        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = PooledConnectionLifetime,

            // Report connection progress to the request's read timer: connecting is ConnectTimeout's phase.
            ConnectCallback = ConnectionPhase.ConnectAsync,
            PlaintextStreamFilter = ConnectionPhase.ConnectedAsync,
        };
    }
}
