using Xunit;

namespace Strands.Tests.TestUtilities;

/// <summary>
/// The xunit collection for tests that set process environment variables, or that read them through AWSSDK.Core
/// (profile store, default credential chain). It runs after the parallel tests, one test at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentGroup
{
    /// <summary>The collection name.</summary>
    public const string Name = "Process environment";
}

/// <summary>Sets process environment variables and restores their previous values when disposed.</summary>
public sealed class EnvironmentVariableScope : IDisposable
{
    /// <summary>The variables through which the AWS SDK could find real credentials, a profile, a region or instance metadata.</summary>
    public static readonly string[] AwsVariables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_EC2_METADATA_DISABLED", "AWS_BEARER_TOKEN_BEDROCK", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
    ];

    private readonly Dictionary<string, string?> _saved = new(StringComparer.Ordinal);

    /// <summary>Sets the given variables (null unsets one).</summary>
    /// <param name="variables">Names and values.</param>
    public EnvironmentVariableScope(params (string Name, string? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            Set(name, value);
        }
    }

    /// <summary>
    /// A scope with every AWS variable unset, instance metadata disabled, and the shared config and credentials files
    /// pointed at <see cref="ConfigPath"/> and <see cref="CredentialsPath"/> with the given contents, so nothing of the
    /// machine leaks in. The two paths never change within the process because AWSSDK.Core caches the locations it
    /// read from <c>AWS_CONFIG_FILE</c>/<c>AWS_SHARED_CREDENTIALS_FILE</c> at first use; only the contents change.
    /// </summary>
    /// <param name="config">The contents of the config file.</param>
    /// <param name="credentials">The contents of the credentials file.</param>
    /// <returns>The scope; dispose it to restore the environment and empty the files.</returns>
    public static EnvironmentVariableScope IsolatedAws(string config = "", string credentials = "")
    {
        var scope = new EnvironmentVariableScope();
        foreach (var name in AwsVariables)
        {
            scope.Set(name, null);
        }

        File.WriteAllText(ConfigPath, config);
        File.WriteAllText(CredentialsPath, credentials);
        scope._ownsFiles = true;
        scope.Set("AWS_CONFIG_FILE", ConfigPath);
        scope.Set("AWS_SHARED_CREDENTIALS_FILE", CredentialsPath);
        scope.Set("AWS_EC2_METADATA_DISABLED", "true");
        return scope;
    }

    /// <summary>The shared config file used by <see cref="IsolatedAws"/> (fixed for the process).</summary>
    public static string ConfigPath => Path.Combine(SharedDirectory.Value, "config");

    /// <summary>The shared credentials file used by <see cref="IsolatedAws"/> (fixed for the process).</summary>
    public static string CredentialsPath => Path.Combine(SharedDirectory.Value, "credentials");

    private static readonly Lazy<string> SharedDirectory = new(() => System.IO.Directory.CreateTempSubdirectory("strands-aws-").FullName);

    private bool _ownsFiles;

    /// <summary>Sets one variable (null unsets it), remembering its first previous value.</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value.</param>
    public void Set(string name, string? value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        if (_ownsFiles)
        {
            File.WriteAllText(ConfigPath, string.Empty);
            File.WriteAllText(CredentialsPath, string.Empty);
        }
    }
}
