namespace Strands.Bedrock;

/// <summary>
/// Whether the shared AWS config and credentials files exist, where AWSSDK.Core looks for them: <c>AWS_CONFIG_FILE</c>
/// and <c>AWS_SHARED_CREDENTIALS_FILE</c>, else <c>~/.aws/config</c> and <c>~/.aws/credentials</c>. When none exists, a
/// profile has nothing to say, and asking AWSSDK.Core's profile store costs a process tens of milliseconds of start-up
/// (its configuration types, file probing) for no answer: the readers of profile settings ask this first.
/// </summary>
internal static class SharedConfigFiles
{
    /// <summary>
    /// False only when it is certain that no profile can be read: on Windows AWSSDK.Core also keeps profiles in its own
    /// encrypted store, so there the answer is always true.
    /// </summary>
    /// <returns>Whether reading a profile may find one.</returns>
    public static bool MayHaveProfiles()
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Exists(Environment.GetEnvironmentVariable("AWS_CONFIG_FILE"))
            || Exists(Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE"))
            || (home.Length > 0 && (File.Exists(Path.Combine(home, ".aws", "config")) || File.Exists(Path.Combine(home, ".aws", "credentials"))));
    }

    private static bool Exists(string? path) => !string.IsNullOrWhiteSpace(path) && File.Exists(path);
}
