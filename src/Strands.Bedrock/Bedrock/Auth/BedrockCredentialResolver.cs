using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace Strands.Bedrock;

/// <summary>Chooses how requests are authenticated: SigV4 credentials or a Bedrock API key (bearer token).</summary>
internal static class BedrockCredentialResolver
{
    /// <summary>The variable holding a Bedrock API key, as the AWS SDKs read it.</summary>
    public const string BearerTokenVariable = "AWS_BEARER_TOKEN_BEDROCK";

    /// <summary>
    /// The SigV4 credentials: <see cref="BedrockClientOptions.Credentials"/>, then the credentials of
    /// <see cref="BedrockClientOptions.ProfileName"/>, then <see cref="LazyDefaultAWSCredentials"/> (the default chain,
    /// looked up at the first request). Never blocks on the network.
    /// </summary>
    /// <param name="options">The client options.</param>
    /// <returns>The credentials to sign with.</returns>
    /// <exception cref="BedrockCredentialsException">The named profile does not exist or has no usable credentials.</exception>
    public static AWSCredentials ResolveCredentials(BedrockClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Credentials is { } explicitCredentials)
        {
            return explicitCredentials;
        }

        if (!string.IsNullOrWhiteSpace(options.ProfileName))
        {
            var name = options.ProfileName.Trim();
            try
            {
                if (new CredentialProfileStoreChain().TryGetAWSCredentials(name, out var fromProfile) && fromProfile is not null)
                {
                    return fromProfile;
                }
            }
            catch (Exception ex) when (ex is AmazonClientException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                throw new BedrockCredentialsException($"The AWS profile '{name}' (BedrockClientOptions.ProfileName) could not be loaded from the shared AWS config and credentials files.", ex);
            }

            throw new BedrockCredentialsException(
                $"The AWS profile '{name}' (BedrockClientOptions.ProfileName) was not found in the shared AWS config and credentials files, or it defines no credentials.");
        }

        return new LazyDefaultAWSCredentials();
    }

    /// <summary>
    /// The Bedrock API key to send as <c>Authorization: Bearer</c>, or null for SigV4:
    /// <see cref="BedrockClientOptions.BearerToken"/>, else <see cref="BearerTokenVariable"/> unless explicit
    /// <see cref="BedrockClientOptions.Credentials"/> or a <see cref="BedrockClientOptions.ProfileName"/> are given.
    /// </summary>
    /// <param name="options">The client options.</param>
    /// <param name="env">Reads an environment variable (null when unset).</param>
    /// <returns>The token, or null.</returns>
    /// <exception cref="ArgumentException">The explicit token contains characters that cannot appear in a header.</exception>
    /// <exception cref="InvalidOperationException">The environment token contains characters that cannot appear in a header.</exception>
    public static string? ResolveBearerToken(BedrockClientOptions options, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(env);

        if (!string.IsNullOrWhiteSpace(options.BearerToken))
        {
            var token = options.BearerToken.Trim();
            if (!IsValidToken(token))
            {
                throw new ArgumentException("BedrockClientOptions.BearerToken contains characters that are not allowed in an HTTP header (only visible ASCII is).", nameof(options));
            }

            return token;
        }

        if (options.Credentials is not null || !string.IsNullOrWhiteSpace(options.ProfileName))
        {
            return null;
        }

        var fromEnv = env(BearerTokenVariable)?.Trim();
        if (string.IsNullOrEmpty(fromEnv))
        {
            return null;
        }

        if (!IsValidToken(fromEnv))
        {
            throw new InvalidOperationException($"The environment variable {BearerTokenVariable} contains characters that are not allowed in an HTTP header (only visible ASCII is).");
        }

        return fromEnv;
    }

    private static bool IsValidToken(string token)
    {
        foreach (var c in token)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
