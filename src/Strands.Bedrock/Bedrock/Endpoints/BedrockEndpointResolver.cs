using Amazon;

namespace Strands.Bedrock;

/// <summary>
/// Chooses the Bedrock Runtime endpoint and builds request URIs, following the endpoint rule set of the service
/// model and the AWS SDKs' "configured endpoint" environment variables.
/// </summary>
internal static class BedrockEndpointResolver
{
    /// <summary>The service-specific endpoint variable (service id <c>Bedrock Runtime</c>).</summary>
    public const string ServiceEndpointVariable = "AWS_ENDPOINT_URL_BEDROCK_RUNTIME";

    /// <summary>The endpoint variable for every AWS service.</summary>
    public const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";

    /// <summary>When <c>true</c>, the two endpoint variables are ignored, as in the AWS SDKs.</summary>
    public const string IgnoreConfiguredEndpointsVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    /// <summary>
    /// Resolves the endpoint: <see cref="BedrockClientOptions.EndpointUrl"/>, then <see cref="ServiceEndpointVariable"/>,
    /// then <see cref="GlobalEndpointVariable"/>, then <c>https://bedrock-runtime[-fips].{region}.{partition DNS suffix}</c>.
    /// </summary>
    /// <param name="options">The client options.</param>
    /// <param name="region">The resolved region; only used for the regional endpoint.</param>
    /// <param name="env">Reads an environment variable (null when unset).</param>
    /// <returns>The endpoint, possibly with a base path (kept) and never with a query or fragment.</returns>
    /// <exception cref="ArgumentException">
    /// FIPS was requested together with a custom endpoint, the explicit endpoint is not an absolute http(s) URL or is
    /// plain http to a host that is not loopback (see <see cref="ThrowIfInsecure"/>), or the region is not a valid host
    /// label.
    /// </exception>
    /// <exception cref="InvalidOperationException">An endpoint variable holds something other than an absolute http(s) URL, or plain http to a host that is not loopback.</exception>
    public static Uri Resolve(BedrockClientOptions options, string region, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(env);

        if (options.EndpointUrl is { } explicitEndpoint)
        {
            var reason = ValidateEndpoint(explicitEndpoint);
            if (reason is not null)
            {
                throw new ArgumentException($"BedrockClientOptions.EndpointUrl must be an absolute http or https URL without query or fragment: {reason}.", nameof(options));
            }

            ThrowIfFips(options, "BedrockClientOptions.EndpointUrl");
            ThrowIfInsecure(options, explicitEndpoint, "BedrockClientOptions.EndpointUrl", static message => new ArgumentException(message, nameof(options)));
            return explicitEndpoint;
        }

        if (!IsTrue(env(IgnoreConfiguredEndpointsVariable)))
        {
            foreach (var variable in (ReadOnlySpan<string>)[ServiceEndpointVariable, GlobalEndpointVariable])
            {
                var value = env(variable)?.Trim();
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }

                // The value is not echoed: endpoint URLs can carry user information.
                if (!Uri.TryCreate(value, UriKind.Absolute, out var fromEnv))
                {
                    throw new InvalidOperationException($"The environment variable {variable} is set but is not an absolute http or https URL.");
                }

                var reason = ValidateEndpoint(fromEnv);
                if (reason is not null)
                {
                    throw new InvalidOperationException($"The environment variable {variable} must be an absolute http or https URL without query or fragment: {reason}.");
                }

                ThrowIfFips(options, $"the environment variable {variable}");
                ThrowIfInsecure(options, fromEnv, $"The environment variable {variable}", static message => new InvalidOperationException(message));
                return fromEnv;
            }
        }

        return RegionalEndpoint(region, options.UseFipsEndpoint);
    }

    /// <summary>The regional endpoint, <c>https://bedrock-runtime[-fips].{region}.{dnsSuffix}</c>.</summary>
    /// <param name="region">The region system name, e.g. <c>us-east-1</c>.</param>
    /// <param name="useFips">Whether to use the FIPS host.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="ArgumentException">The region is not a valid host label.</exception>
    public static Uri RegionalEndpoint(string region, bool useFips)
    {
        if (!IsValidRegion(region))
        {
            throw new ArgumentException(
                "BedrockClientOptions.Region must be a region name such as 'us-east-1' (letters, digits and hyphens, 1 to 63 characters).",
                nameof(region));
        }

        var endpoint = RegionEndpoint.GetBySystemName(region);
        var host = $"bedrock-runtime{(useFips ? "-fips" : string.Empty)}.{endpoint.SystemName}.{endpoint.PartitionDnsSuffix}";
        return new Uri($"https://{host}/", UriKind.Absolute);
    }

    /// <summary>
    /// The request path of an operation: <c>/model/{modelId}/converse</c> or <c>/model/{modelId}/converse-stream</c>, with
    /// the model id escaped by <see cref="Uri.EscapeDataString(string)"/> so that it is exactly one path segment.
    /// The ids <c>.</c> and <c>..</c> become <c>%2E</c> and <c>%2E%2E</c> so no URI layer can treat them as dot segments.
    /// </summary>
    /// <param name="modelId">The model id, inference profile id or ARN.</param>
    /// <param name="stream">Whether the path is the ConverseStream one.</param>
    /// <returns>The escaped path.</returns>
    /// <exception cref="ArgumentException">The model id is null or empty.</exception>
    public static string BuildPath(string modelId, bool stream)
    {
        if (string.IsNullOrEmpty(modelId))
        {
            throw new ArgumentException("The model id must not be null or empty.", nameof(modelId));
        }

        var segment = modelId is "." or ".." ? modelId.Replace(".", "%2E", StringComparison.Ordinal) : Uri.EscapeDataString(modelId);
        return stream ? $"/model/{segment}/converse-stream" : $"/model/{segment}/converse";
    }

    /// <summary>
    /// The request URI of an operation: the endpoint's scheme, authority and base path, then <see cref="BuildPath"/>.
    /// The URI is created without path canonicalisation, so the escaped model id reaches the wire byte for byte
    /// (<see cref="Uri.AbsolutePath"/> and <see cref="Uri.PathAndQuery"/> return it unchanged) and is signed as sent.
    /// </summary>
    /// <param name="endpoint">The endpoint from <see cref="Resolve"/>.</param>
    /// <param name="modelId">The model id, inference profile id or ARN.</param>
    /// <param name="stream">Whether this is a ConverseStream request.</param>
    /// <returns>The absolute request URI.</returns>
    /// <exception cref="ArgumentException">The model id is null or empty, or the endpoint is not absolute.</exception>
    public static Uri BuildRequestUri(Uri endpoint, string modelId, bool stream)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException("The endpoint must be an absolute URI.", nameof(endpoint));
        }

        var path = BuildPath(modelId, stream);
        var basePath = endpoint.AbsolutePath.TrimEnd('/');
        var text = endpoint.GetLeftPart(UriPartial.Authority) + basePath + path;
        return new Uri(text, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
    }

    private static string? ValidateEndpoint(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri)
        {
            return "it is relative";
        }

        if (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
        {
            return $"the scheme is '{endpoint.Scheme}'";
        }

        if (string.IsNullOrEmpty(endpoint.Host))
        {
            return "it has no host";
        }

        if (!string.IsNullOrEmpty(endpoint.UserInfo))
        {
            return "it has user information";
        }

        if (!string.IsNullOrEmpty(endpoint.Query))
        {
            return "it has a query";
        }

        if (!string.IsNullOrEmpty(endpoint.Fragment))
        {
            return "it has a fragment";
        }

        return null;
    }

    /// <summary>
    /// Refuses plain http to a host that is not loopback, unless <see cref="BedrockClientOptions.UnsafeAllowHttpToAnyHost"/>
    /// is set: every request carries a secret (the SigV4 <c>Authorization</c> header and any session token, or the Bedrock
    /// API key itself) and prompt content. Loopback is what <see cref="Uri.IsLoopback"/> says: <c>localhost</c>, an
    /// address in <c>127.0.0.0/8</c>, or <c>::1</c>.
    /// </summary>
    /// <param name="options">The client options.</param>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="source">Where the endpoint came from, for the message.</param>
    /// <param name="error">Builds the exception from the message.</param>
    internal static void ThrowIfInsecure(BedrockClientOptions options, Uri endpoint, string source, Func<string, Exception> error)
    {
        if (endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback && !options.UnsafeAllowHttpToAnyHost)
        {
            throw error(
                $"{source} is plain http to {endpoint.Host}, which is not a loopback host: the Authorization header (SigV4 " +
                "signature or Bedrock API key), any session token and every prompt would travel unencrypted. Use https, or a " +
                "loopback host (localhost, 127.0.0.1, [::1]) for a local fake, or set BedrockClientOptions.UnsafeAllowHttpToAnyHost " +
                "to true if the network path is protected otherwise.");
        }
    }

    private static void ThrowIfFips(BedrockClientOptions options, string source)
    {
        if (options.UseFipsEndpoint)
        {
            throw new ArgumentException(
                $"BedrockClientOptions.UseFipsEndpoint cannot be combined with a custom endpoint ({source}): the endpoint rules of Bedrock Runtime do not support FIPS with a custom endpoint.",
                nameof(options));
        }
    }

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static bool IsValidRegion(string? region)
    {
        if (string.IsNullOrEmpty(region) || region.Length > 63 || region[0] == '-' || region[^1] == '-')
        {
            return false;
        }

        foreach (var c in region)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
