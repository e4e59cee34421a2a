using System.Globalization;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace Strands.Bedrock;

/// <summary>
/// Resolves the retry settings as every AWS SDK does: <see cref="BedrockClientOptions.MaxAttempts"/> and
/// <see cref="BedrockClientOptions.RetryMode"/> when set, else <c>AWS_MAX_ATTEMPTS</c> and <c>AWS_RETRY_MODE</c>, else the
/// profile's <c>max_attempts</c> and <c>retry_mode</c>, else 3 attempts in standard mode. Each setting is resolved on its
/// own (an explicit mode with the environment's attempts is fine).
/// </summary>
/// <param name="MaxAttempts">Attempts per call, the first included (at least 1).</param>
/// <param name="Mode">The retry mode.</param>
internal readonly record struct BedrockRetrySettings(int MaxAttempts, RetryMode Mode)
{
    /// <summary>The variable that sets the attempts per call, as the AWS SDKs read it.</summary>
    public const string MaxAttemptsVariable = "AWS_MAX_ATTEMPTS";

    /// <summary>The variable that sets the retry mode, as the AWS SDKs read it.</summary>
    public const string RetryModeVariable = "AWS_RETRY_MODE";

    /// <summary>Resolves the settings, reading the profile from the shared AWS config files.</summary>
    /// <param name="options">The client options.</param>
    /// <param name="env">Reads an environment variable (null when unset).</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An explicit option is out of range.</exception>
    /// <exception cref="InvalidOperationException">An environment variable holds an invalid value.</exception>
    public static BedrockRetrySettings Resolve(BedrockClientOptions options, Func<string, string?> env) =>
        Resolve(options, env, ReadProfile);

    /// <summary>Resolves the settings with a custom profile lookup (for tests).</summary>
    /// <param name="options">The client options.</param>
    /// <param name="env">Reads an environment variable (null when unset).</param>
    /// <param name="profile">Returns the named profile's <c>max_attempts</c> and <c>retry_mode</c> (null when unset).</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An explicit option is out of range.</exception>
    /// <exception cref="InvalidOperationException">An environment variable or profile value is invalid.</exception>
    internal static BedrockRetrySettings Resolve(BedrockClientOptions options, Func<string, string?> env, Func<string, (int? MaxAttempts, RetryMode? Mode)> profile)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(profile);

        if (options.MaxAttempts is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxAttempts, "BedrockClientOptions.MaxAttempts must be at least 1 (1 disables retries).");
        }

        if (options.RetryMode is { } explicitMode && !Enum.IsDefined(explicitMode))
        {
            throw new ArgumentOutOfRangeException(nameof(options), explicitMode, "BedrockClientOptions.RetryMode must be RetryMode.Standard or RetryMode.Adaptive.");
        }

        var maxAttempts = options.MaxAttempts ?? ParseMaxAttempts(env(MaxAttemptsVariable), $"The environment variable {MaxAttemptsVariable}");
        var mode = options.RetryMode ?? ParseMode(env(RetryModeVariable), $"The environment variable {RetryModeVariable}");
        if (maxAttempts is null || mode is null)
        {
            var fromProfile = profile(BedrockRegionResolver.ProfileName(options, env));
            if (fromProfile.MaxAttempts is < 1)
            {
                throw new InvalidOperationException($"The AWS profile's max_attempts must be at least 1 (1 disables retries); it is {fromProfile.MaxAttempts}.");
            }

            maxAttempts ??= fromProfile.MaxAttempts;
            mode ??= fromProfile.Mode;
        }

        return new BedrockRetrySettings(maxAttempts ?? BedrockClientOptions.DefaultMaxAttempts, mode ?? RetryMode.Standard);
    }

    /// <summary>
    /// Reads <c>max_attempts</c> and <c>retry_mode</c> of a profile through AWSSDK.Core. AWSSDK.Core skips a profile with
    /// a value it cannot parse (e.g. <c>retry_mode = legacy</c>, <c>max_attempts = 0</c>) as a whole, so such a profile
    /// counts as setting nothing; unreadable files count as no profile.
    /// </summary>
    /// <param name="profileName">The profile name.</param>
    /// <returns>The two settings, null when unset.</returns>
    internal static (int? MaxAttempts, RetryMode? Mode) ReadProfile(string profileName)
    {
        if (!SharedConfigFiles.MayHaveProfiles())
        {
            return (null, null);
        }

        try
        {
            if (new CredentialProfileStoreChain().TryGetProfile(profileName, out var profile))
            {
                RetryMode? mode = profile.RetryMode switch
                {
                    RequestRetryMode.Standard => RetryMode.Standard,
                    RequestRetryMode.Adaptive => RetryMode.Adaptive,
                    _ => null,
                };
                return (profile.MaxAttempts, mode);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AmazonClientException or ArgumentException or FormatException)
        {
            // As for the region: a broken config file is no configuration.
        }

        return (null, null);
    }

    private static int? ParseMaxAttempts(string? value, string source)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var attempts) || attempts < 1)
        {
            throw new InvalidOperationException($"{source} must be a whole number of attempts, at least 1 (1 disables retries), or set BedrockClientOptions.MaxAttempts; it is '{value.Trim()}'.");
        }

        return attempts;
    }

    private static RetryMode? ParseMode(string? value, string source)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return value.Trim().ToUpperInvariant() switch
        {
            "STANDARD" => RetryMode.Standard,
            "ADAPTIVE" => RetryMode.Adaptive,
            "LEGACY" => throw new InvalidOperationException(
                $"{source} is 'legacy', which Strands.Bedrock does not implement: use 'standard' or 'adaptive', or set BedrockClientOptions.RetryMode."),
            _ => throw new InvalidOperationException($"{source} must be 'standard' or 'adaptive' (or set BedrockClientOptions.RetryMode); it is '{value.Trim()}'."),
        };
    }
}
