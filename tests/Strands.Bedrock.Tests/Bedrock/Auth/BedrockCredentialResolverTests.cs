using Amazon;
using Amazon.Runtime;
using Strands.Bedrock;
using Strands.Tests.TestUtilities;
using Xunit;

namespace Strands.Tests.Bedrock.Auth;

public sealed class BedrockCredentialResolverTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Explicit_credentials_are_returned_as_is()
    {
        var credentials = new BasicAWSCredentials("AKID", "secret");

        Assert.Same(credentials, BedrockCredentialResolver.ResolveCredentials(new BedrockClientOptions { Credentials = credentials, ProfileName = "ignored" }));
    }

    [Fact]
    public void Bearer_token_option_wins_over_everything()
    {
        var options = new BedrockClientOptions { BearerToken = "opt-token", Credentials = new BasicAWSCredentials("a", "b"), ProfileName = "p" };

        Assert.Equal("opt-token", BedrockCredentialResolver.ResolveBearerToken(options, Env(("AWS_BEARER_TOKEN_BEDROCK", "env-token"))));
    }

    [Fact]
    public void Bearer_token_variable_is_used_unless_credentials_or_a_profile_are_explicit()
    {
        var env = Env(("AWS_BEARER_TOKEN_BEDROCK", " env-token "));

        Assert.Equal("env-token", BedrockCredentialResolver.ResolveBearerToken(new BedrockClientOptions(), env));
        Assert.Null(BedrockCredentialResolver.ResolveBearerToken(new BedrockClientOptions { Credentials = new BasicAWSCredentials("a", "b") }, env));
        Assert.Null(BedrockCredentialResolver.ResolveBearerToken(new BedrockClientOptions { ProfileName = "p" }, env));
        Assert.Null(BedrockCredentialResolver.ResolveBearerToken(new BedrockClientOptions(), Env(("AWS_BEARER_TOKEN_BEDROCK", ""))));
        Assert.Null(BedrockCredentialResolver.ResolveBearerToken(new BedrockClientOptions(), Env()));
    }

    [Fact]
    public void Bearer_tokens_with_header_breaking_characters_are_rejected_without_echoing_them()
    {
        var fromOption = Assert.Throws<ArgumentException>(() =>
            BedrockCredentialResolver.ResolveBearerToken(new BedrockClientOptions { BearerToken = "abc\r\nX-Evil: 1" }, Env()));
        var fromEnv = Assert.Throws<InvalidOperationException>(() =>
            BedrockCredentialResolver.ResolveBearerToken(new BedrockClientOptions(), Env(("AWS_BEARER_TOKEN_BEDROCK", "sec ret"))));

        Assert.Contains("BearerToken", fromOption.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Evil", fromOption.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_BEARER_TOKEN_BEDROCK", fromEnv.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sec ret", fromEnv.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lazy_credentials_resolve_only_when_used_and_wrap_failures()
    {
        var calls = 0;
        var lazy = new LazyDefaultAWSCredentials(
            () => { calls++; throw new AmazonClientException("Failed to resolve AWS credentials."); },
            () => { calls++; return Task.FromException<AWSCredentials>(new AmazonClientException("Failed to resolve AWS credentials.")); });

        Assert.Equal(0, calls);
        var sync = Assert.Throws<BedrockCredentialsException>(lazy.GetCredentials);
        var async = await Assert.ThrowsAsync<BedrockCredentialsException>(lazy.GetCredentialsAsync);

        Assert.Equal(2, calls);
        Assert.IsType<AmazonClientException>(sync.InnerException);
        Assert.IsType<AmazonClientException>(async.InnerException);
        Assert.Contains("AWS_BEARER_TOKEN_BEDROCK", async.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lazy_credentials_ask_the_resolver_on_every_use()
    {
        var keys = new Queue<string>(["AKID1", "AKID2"]);
        var lazy = new LazyDefaultAWSCredentials(
            () => new BasicAWSCredentials(keys.Dequeue(), "s"),
            () => Task.FromResult<AWSCredentials>(new BasicAWSCredentials(keys.Dequeue(), "s")));

        Assert.Equal("AKID1", (await lazy.GetCredentialsAsync()).AccessKey);
        Assert.Equal("AKID2", lazy.GetCredentials().AccessKey);
    }
}

[Collection(ProcessEnvironmentGroup.Name)]
public sealed class BedrockCredentialResolverEnvironmentTests
{
    private const string CredentialsFile = """
        [dev]
        aws_access_key_id = AKIDPROFILE
        aws_secret_access_key = profilesecret
        """;

    [Fact]
    public void Named_profile_credentials_are_loaded()
    {
        using var scope = EnvironmentVariableScope.IsolatedAws(credentials: CredentialsFile);

        var credentials = BedrockCredentialResolver.ResolveCredentials(new BedrockClientOptions { ProfileName = "dev" });

        Assert.Equal("AKIDPROFILE", credentials.GetCredentials().AccessKey);
    }

    [Fact]
    public void Unknown_profile_fails_naming_the_profile()
    {
        using var scope = EnvironmentVariableScope.IsolatedAws(credentials: CredentialsFile);

        var error = Assert.Throws<BedrockCredentialsException>(() =>
            BedrockCredentialResolver.ResolveCredentials(new BedrockClientOptions { ProfileName = "no-such-profile" }));

        Assert.Contains("no-such-profile", error.Message, StringComparison.Ordinal);
        Assert.Contains("ProfileName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_chain_is_lazy_and_fails_clearly_at_first_use()
    {
        using var scope = EnvironmentVariableScope.IsolatedAws();

        var credentials = BedrockCredentialResolver.ResolveCredentials(new BedrockClientOptions());

        Assert.IsType<LazyDefaultAWSCredentials>(credentials);
        var error = await Assert.ThrowsAsync<BedrockCredentialsException>(credentials.GetCredentialsAsync);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task Default_chain_picks_up_environment_credentials_set_after_construction()
    {
        using var scope = EnvironmentVariableScope.IsolatedAws();
        var credentials = BedrockCredentialResolver.ResolveCredentials(new BedrockClientOptions());

        scope.Set("AWS_ACCESS_KEY_ID", "AKIDFROMENV");
        scope.Set("AWS_SECRET_ACCESS_KEY", "envsecret");
        scope.Set("AWS_SESSION_TOKEN", "envtoken");

        var resolved = await credentials.GetCredentialsAsync();
        Assert.Equal("AKIDFROMENV", resolved.AccessKey);
        Assert.Equal("envtoken", resolved.Token);
    }

    [Fact]
    public async Task Environment_keys_are_taken_without_the_chain_as_the_chain_would_take_them()
    {
        using var scope = EnvironmentVariableScope.IsolatedAws(credentials: "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profilesecret\n");
        Assert.Null(LazyDefaultAWSCredentials.FromEnvironment());

        scope.Set("AWS_ACCESS_KEY_ID", "AKIDFROMENV");
        Assert.Null(LazyDefaultAWSCredentials.FromEnvironment());

        // Both keys: the environment wins over the default profile, first in the chain's order too.
        scope.Set("AWS_SECRET_ACCESS_KEY", "envsecret");
        Assert.IsType<EnvironmentVariablesAWSCredentials>(LazyDefaultAWSCredentials.FromEnvironment());
        var resolved = await BedrockCredentialResolver.ResolveCredentials(new BedrockClientOptions()).GetCredentialsAsync();
        Assert.Equal("AKIDFROMENV", resolved.AccessKey);

        // A replaced chain is the application's choice: then the chain is always asked.
        var generators = AWSConfigs.AWSCredentialsGenerators;
        AWSConfigs.AWSCredentialsGenerators = [() => new BasicAWSCredentials("AKIDCUSTOM", "customsecret")];
        try
        {
            Assert.Null(LazyDefaultAWSCredentials.FromEnvironment());
        }
        finally
        {
            AWSConfigs.AWSCredentialsGenerators = generators;
        }
    }
}
