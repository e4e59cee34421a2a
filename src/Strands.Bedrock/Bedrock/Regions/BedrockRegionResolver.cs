using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace Strands.Bedrock;

/// <summary>
/// Chooses the region: <see cref="BedrockClientOptions.Region"/>, then <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the
/// profile's <c>region</c>, then <see cref="DefaultRegion"/> (as Strands does). Instance metadata is never asked.
/// </summary>
internal static class BedrockRegionResolver
{
    /// <summary>The region used when nothing else names one (Strands' default).</summary>
    public const string DefaultRegion = "us-west-2";

    /// <summary>The region variable of the AWS SDKs.</summary>
    public const string RegionVariable = "AWS_REGION";

    /// <summary>The region variable of the AWS CLI and boto3 (not read by the AWS SDK for .NET itself).</summary>
    public const string DefaultRegionVariable = "AWS_DEFAULT_REGION";

    /// <summary>The variable that names the profile when <see cref="BedrockClientOptions.ProfileName"/> is unset.</summary>
    public const string ProfileVariable = "AWS_PROFILE";

    /// <summary>The profile used when none is named.</summary>
    public const string DefaultProfileName = "default";

    /// <summary>Resolves the region system name.</summary>
    /// <param name="options">The client options.</param>
    /// <param name="env">Reads an environment variable (null when unset).</param>
    /// <returns>A region name, never null or empty (not validated here; the endpoint resolver validates it).</returns>
    public static string Resolve(BedrockClientOptions options, Func<string, string?> env) =>
        Resolve(options, env, ReadProfileRegion);

    /// <summary>Resolves the region system name with a custom profile lookup (for tests).</summary>
    /// <param name="options">The client options.</param>
    /// <param name="env">Reads an environment variable (null when unset).</param>
    /// <param name="profileRegion">Returns the <c>region</c> of the named profile, or null.</param>
    /// <returns>A region name, never null or empty.</returns>
    internal static string Resolve(BedrockClientOptions options, Func<string, string?> env, Func<string, string?> profileRegion)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(profileRegion);

        return NonBlank(options.Region)
            ?? NonBlank(env(RegionVariable))
            ?? NonBlank(env(DefaultRegionVariable))
            ?? NonBlank(profileRegion(ProfileName(options, env)))
            ?? DefaultRegion;
    }

    /// <summary>The profile to read: <see cref="BedrockClientOptions.ProfileName"/>, then <c>AWS_PROFILE</c>, then <c>default</c>.</summary>
    /// <param name="options">The client options.</param>
    /// <param name="env">Reads an environment variable (null when unset).</param>
    /// <returns>The profile name.</returns>
    public static string ProfileName(BedrockClientOptions options, Func<string, string?> env) =>
        NonBlank(options.ProfileName) ?? NonBlank(env(ProfileVariable)) ?? DefaultProfileName;

    /// <summary>
    /// Reads the <c>region</c> of a profile from the shared config and credentials files (located by
    /// <c>AWS_CONFIG_FILE</c> and <c>AWS_SHARED_CREDENTIALS_FILE</c> of the process environment). Unreadable or
    /// malformed files count as "no region". AWSSDK.Core remembers those two locations the first time anything in the
    /// process reads them (signing a request is enough), so changing the variables later in the process has no effect.
    /// </summary>
    /// <param name="profileName">The profile name.</param>
    /// <returns>The region system name, or null.</returns>
    internal static string? ReadProfileRegion(string profileName)
    {
        if (!SharedConfigFiles.MayHaveProfiles())
        {
            return null;
        }

        try
        {
            return new CredentialProfileStoreChain().TryGetProfile(profileName, out var profile)
                ? profile.Region?.SystemName
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AmazonClientException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
