using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Strands.Bedrock;

/// <summary>
/// Credentials from the default AWS credential chain (<see cref="DefaultAWSCredentialsIdentityResolver"/>), looked up
/// when a request is signed rather than when the client is built. Building a client therefore never blocks and never
/// fails for lack of credentials; a missing chain surfaces at the first request as a
/// <see cref="BedrockCredentialsException"/>. The chain is asked on every use: the AWS SDK caches its answer and
/// resolves again when the environment or the credential files change, and the returned credentials refresh themselves.
/// </summary>
internal sealed class LazyDefaultAWSCredentials : AWSCredentials
{
    internal const string NotFoundMessage =
        "No AWS credentials were found for Amazon Bedrock. Set BedrockClientOptions.Credentials or ProfileName, " +
        "the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables, a profile in the shared AWS config files " +
        "(AWS_PROFILE), or a Bedrock API key (BedrockClientOptions.BearerToken or AWS_BEARER_TOKEN_BEDROCK). " +
        "The inner exception lists what each credential source reported.";

    private readonly Func<AWSCredentials> _resolve;
    private readonly Func<Task<AWSCredentials>> _resolveAsync;

    /// <summary>Creates credentials over the default AWS credential chain.</summary>
    public LazyDefaultAWSCredentials()
        : this(
            () => FromEnvironment() ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(),
            () => FromEnvironment() is { } environment ? Task.FromResult(environment) : DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync())
    {
    }

    /// <summary>
    /// The chain's own first answer, taken without the chain: its first source is the environment variables (after
    /// the app.config of .NET Framework, which this library does not target), so when both keys are set and nobody
    /// replaced the chain (<see cref="AWSConfigs.AWSCredentialsGenerators"/>), the chain would return these. Asking
    /// the chain itself costs a process's first request some 10–15 ms (its profile store and file watchers); this
    /// reads the environment on every use, as the chain does, so keys changed later are seen. Null otherwise.
    /// </summary>
    internal static AWSCredentials? FromEnvironment()
    {
        if (AWSConfigs.AWSCredentialsGenerators is not null
            || string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentVariablesAWSCredentials.ENVIRONMENT_VARIABLE_ACCESSKEY))
            || string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentVariablesAWSCredentials.ENVIRONMENT_VARIABLE_SECRETKEY)))
        {
            return null;
        }

        try
        {
            return new EnvironmentVariablesAWSCredentials();
        }
        catch (Exception ex) when (ex is AmazonClientException or InvalidOperationException or ArgumentException)
        {
            // Whatever the environment source rejects, the chain handles in its own way.
            return null;
        }
    }

    /// <summary>Creates credentials over a custom resolver (for tests).</summary>
    /// <param name="resolve">Resolves the credentials synchronously.</param>
    /// <param name="resolveAsync">Resolves the credentials asynchronously.</param>
    internal LazyDefaultAWSCredentials(Func<AWSCredentials> resolve, Func<Task<AWSCredentials>> resolveAsync)
    {
        _resolve = resolve;
        _resolveAsync = resolveAsync;
    }

    /// <inheritdoc/>
    public override ImmutableCredentials GetCredentials()
    {
        try
        {
            return _resolve().GetCredentials();
        }
        catch (Exception ex) when (IsCredentialFailure(ex))
        {
            throw new BedrockCredentialsException(NotFoundMessage, ex);
        }
    }

    /// <inheritdoc/>
    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        try
        {
            var credentials = await _resolveAsync().ConfigureAwait(false);
            return await credentials.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsCredentialFailure(ex))
        {
            throw new BedrockCredentialsException(NotFoundMessage, ex);
        }
    }

    // AmazonClientException: nothing found, or a provider failed (e.g. SSO, assume-role);
    // AmazonServiceException: STS/SSO rejected the call; InvalidOperationException: AWSSDK.SecurityToken/SSO not loadable.
    private static bool IsCredentialFailure(Exception ex) =>
        ex is AmazonClientException or AmazonServiceException or InvalidOperationException;
}
