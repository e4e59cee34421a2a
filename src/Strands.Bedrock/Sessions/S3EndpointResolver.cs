using Amazon;
using Strands.Bedrock;

namespace Strands.Sessions;

/// <summary>The S3 endpoint, by the rules of <c>BedrockEndpointResolver</c> with S3's service variable.</summary>
internal static class S3EndpointResolver
{
    /// <summary>The service-specific endpoint variable (service id <c>S3</c>).</summary>
    public const string ServiceEndpointVariable = "AWS_ENDPOINT_URL_S3";

    /// <summary>
    /// The explicit endpoint, else <see cref="ServiceEndpointVariable"/>, else <c>AWS_ENDPOINT_URL</c> (the variables
    /// are ignored when <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is <c>true</c>), else null for the regional endpoint.
    /// </summary>
    public static Uri? Resolve(Uri? explicitEndpoint, Func<string, string?> env)
    {
        if (explicitEndpoint is not null)
        {
            if (Validate(explicitEndpoint) is { } reason)
            {
                throw new ArgumentException($"S3SessionRepositoryOptions.EndpointUrl must be an absolute http or https URL without query or fragment: {reason}.", nameof(explicitEndpoint));
            }

            return explicitEndpoint;
        }

        if (string.Equals(env(BedrockEndpointResolver.IgnoreConfiguredEndpointsVariable)?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var variable in (ReadOnlySpan<string>)[ServiceEndpointVariable, BedrockEndpointResolver.GlobalEndpointVariable])
        {
            var value = env(variable)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            // The value is not echoed: endpoint URLs can carry user information.
            if (!Uri.TryCreate(value, UriKind.Absolute, out var fromEnv) || Validate(fromEnv) is not null)
            {
                throw new InvalidOperationException($"The environment variable {variable} must be an absolute http or https URL without user information, query or fragment.");
            }

            return fromEnv;
        }

        return null;
    }

    /// <summary>The region endpoint of a region name, after checking that it is a valid host label.</summary>
    public static RegionEndpoint ValidRegion(string region)
    {
        // RegionalEndpoint validates the name the same way for Bedrock; the S3 host itself comes from the SDK's rules.
        _ = BedrockEndpointResolver.RegionalEndpoint(region, useFips: false);
        return RegionEndpoint.GetBySystemName(region);
    }

    private static string? Validate(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri)
        {
            return "it is relative";
        }

        if (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
        {
            return $"the scheme is '{endpoint.Scheme}'";
        }

        if (!string.IsNullOrEmpty(endpoint.UserInfo))
        {
            return "it has user information";
        }

        if (!string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment))
        {
            return "it has a query or fragment";
        }

        return null;
    }
}
