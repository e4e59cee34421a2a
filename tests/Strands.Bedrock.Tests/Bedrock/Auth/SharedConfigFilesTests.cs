using Strands.Bedrock;
using Strands.Tests.TestUtilities;
using Xunit;

namespace Strands.Tests.Bedrock.Auth;

[Collection(ProcessEnvironmentGroup.Name)]
public sealed class SharedConfigFilesTests
{
    [Fact]
    public void Profiles_are_looked_up_only_where_a_shared_file_exists()
    {
        if (OperatingSystem.IsWindows())
        {
            // AWSSDK.Core's encrypted profile store may hold profiles there: always looked up.
            Assert.True(SharedConfigFiles.MayHaveProfiles());
            return;
        }

        var home = Directory.CreateTempSubdirectory("strands-home-").FullName;
        try
        {
            using var scope = new EnvironmentVariableScope(("HOME", home), ("AWS_CONFIG_FILE", Path.Combine(home, "missing-config")), ("AWS_SHARED_CREDENTIALS_FILE", null));
            Assert.False(SharedConfigFiles.MayHaveProfiles());

            // No profile to read: the region and the retry settings come from their defaults, as the store would say.
            Assert.Null(BedrockRegionResolver.ReadProfileRegion("default"));
            Assert.Equal((null, null), BedrockRetrySettings.ReadProfile("default"));

            File.WriteAllText(Path.Combine(home, "missing-config"), "[default]\nregion = eu-west-3\n");
            Assert.True(SharedConfigFiles.MayHaveProfiles());

            scope.Set("AWS_CONFIG_FILE", null);
            Assert.False(SharedConfigFiles.MayHaveProfiles());
            Directory.CreateDirectory(Path.Combine(home, ".aws"));
            File.WriteAllText(Path.Combine(home, ".aws", "credentials"), "");
            Assert.True(SharedConfigFiles.MayHaveProfiles());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
