using System.Runtime.CompilerServices;

namespace Strands.Tests.TestUtilities;

/// <summary>
/// Points the whole test process at empty, private AWS config and credentials files before any test runs.
/// AWSSDK.Core remembers the file locations the first time anything reads them (signing a request is enough), so
/// they must be fixed before the first test; <see cref="EnvironmentVariableScope.IsolatedAws"/> then only changes
/// their contents. This also keeps the developer's real <c>~/.aws</c> out of every test.
/// </summary>
internal static class TestProcessInitializer
{
#pragma warning disable CA2255 // A test assembly needs this to run before xunit starts any test.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        File.WriteAllText(EnvironmentVariableScope.ConfigPath, string.Empty);
        File.WriteAllText(EnvironmentVariableScope.CredentialsPath, string.Empty);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", EnvironmentVariableScope.ConfigPath);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", EnvironmentVariableScope.CredentialsPath);
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
    }
}
