using Strands.Bedrock;
using Strands.Tests.TestUtilities;
using Xunit;

namespace Strands.Tests.Bedrock.Regions;

public sealed class BedrockRegionResolverTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static Func<string, string?> Profiles(params (string Name, string Region)[] profiles) =>
        name => profiles.FirstOrDefault(p => p.Name == name).Region;

    [Fact]
    public void Explicit_region_wins()
    {
        var options = new BedrockClientOptions { Region = "eu-west-3", ProfileName = "p" };
        var env = Env(("AWS_REGION", "us-east-1"), ("AWS_DEFAULT_REGION", "us-east-2"));

        Assert.Equal("eu-west-3", BedrockRegionResolver.Resolve(options, env, Profiles(("p", "ap-south-1"))));
    }

    [Fact]
    public void AWS_REGION_then_AWS_DEFAULT_REGION_then_profile_then_us_west_2()
    {
        var options = new BedrockClientOptions();
        var profiles = Profiles(("default", "ap-south-1"));

        Assert.Equal("us-east-1", BedrockRegionResolver.Resolve(options, Env(("AWS_REGION", "us-east-1"), ("AWS_DEFAULT_REGION", "us-east-2")), profiles));
        Assert.Equal("us-east-2", BedrockRegionResolver.Resolve(options, Env(("AWS_REGION", " "), ("AWS_DEFAULT_REGION", "us-east-2")), profiles));
        Assert.Equal("ap-south-1", BedrockRegionResolver.Resolve(options, Env(), profiles));
        Assert.Equal("us-west-2", BedrockRegionResolver.Resolve(options, Env(), Profiles()));
        Assert.Equal("us-west-2", BedrockRegionResolver.Resolve(options with { Region = "" }, Env(("AWS_REGION", "")), Profiles()));
    }

    [Fact]
    public void Profile_is_the_option_then_AWS_PROFILE_then_default()
    {
        var profiles = Profiles(("opt", "eu-north-1"), ("env", "eu-south-1"), ("default", "eu-central-1"));
        var env = Env(("AWS_PROFILE", "env"));

        Assert.Equal("eu-north-1", BedrockRegionResolver.Resolve(new BedrockClientOptions { ProfileName = "opt" }, env, profiles));
        Assert.Equal("eu-south-1", BedrockRegionResolver.Resolve(new BedrockClientOptions(), env, profiles));
        Assert.Equal("eu-central-1", BedrockRegionResolver.Resolve(new BedrockClientOptions(), Env(), profiles));
        Assert.Equal("us-west-2", BedrockRegionResolver.Resolve(new BedrockClientOptions { ProfileName = "missing" }, Env(), profiles));
    }

    [Fact]
    public void A_region_with_surrounding_spaces_is_trimmed()
    {
        Assert.Equal("us-east-1", BedrockRegionResolver.Resolve(new BedrockClientOptions { Region = " us-east-1 " }, Env(), Profiles()));
    }
}

[Collection(ProcessEnvironmentGroup.Name)]
public sealed class BedrockRegionResolverProfileFileTests
{
    private const string Config = """
        [default]
        region = ap-southeast-2

        [profile dev]
        region = eu-central-1

        [profile noregion]
        output = json
        """;

    [Fact]
    public void Profile_region_is_read_from_the_shared_config_file()
    {
        using var scope = EnvironmentVariableScope.IsolatedAws(Config);
        Func<string, string?> noEnv = _ => null;

        Assert.Equal("eu-central-1", BedrockRegionResolver.Resolve(new BedrockClientOptions { ProfileName = "dev" }, noEnv));
        Assert.Equal("ap-southeast-2", BedrockRegionResolver.Resolve(new BedrockClientOptions(), noEnv));
        Assert.Equal("eu-central-1", BedrockRegionResolver.Resolve(new BedrockClientOptions(), name => name == "AWS_PROFILE" ? "dev" : null));
        Assert.Equal("us-west-2", BedrockRegionResolver.Resolve(new BedrockClientOptions { ProfileName = "noregion" }, noEnv));
        Assert.Equal("us-west-2", BedrockRegionResolver.Resolve(new BedrockClientOptions { ProfileName = "nope" }, noEnv));
    }

    [Fact]
    public void Missing_or_empty_config_files_fall_back_to_us_west_2()
    {
        using var scope = EnvironmentVariableScope.IsolatedAws();
        File.Delete(EnvironmentVariableScope.ConfigPath);
        File.Delete(EnvironmentVariableScope.CredentialsPath);

        Assert.Equal("us-west-2", BedrockRegionResolver.Resolve(new BedrockClientOptions(), _ => null));
    }

    [Fact]
    public void Real_environment_is_read_through_the_env_delegate()
    {
        using var scope = EnvironmentVariableScope.IsolatedAws(Config);
        scope.Set("AWS_DEFAULT_REGION", "sa-east-1");

        Assert.Equal("sa-east-1", BedrockRegionResolver.Resolve(new BedrockClientOptions(), Environment.GetEnvironmentVariable));
    }
}
