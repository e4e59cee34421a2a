using System.Net;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Strands.Bedrock;
using Strands.Content;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Bedrock.Retries;

/// <summary>MaxAttempts and RetryMode resolve as every AWS SDK resolves them: option, then environment, then profile, then default.</summary>
public sealed class BedrockRetrySettingsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static Func<string, (int?, RetryMode?)> Profiles(params (string Name, int? MaxAttempts, RetryMode? Mode)[] profiles) =>
        name => profiles.FirstOrDefault(p => p.Name == name) is { Name: not null } p ? (p.MaxAttempts, p.Mode) : (null, null);

    private static BedrockRetrySettings Resolve(BedrockClientOptions options, Func<string, string?> env, Func<string, (int?, RetryMode?)>? profiles = null) =>
        BedrockRetrySettings.Resolve(options, env, profiles ?? Profiles());

    [Fact]
    public void Nothing_set_is_three_attempts_in_standard_mode()
    {
        Assert.Equal(new BedrockRetrySettings(3, RetryMode.Standard), Resolve(new BedrockClientOptions(), Env()));
    }

    [Fact]
    public void The_explicit_option_wins_over_the_environment_and_the_profile_setting_by_setting()
    {
        var env = Env(("AWS_MAX_ATTEMPTS", "7"), ("AWS_RETRY_MODE", "adaptive"));
        var profiles = Profiles(("default", 9, RetryMode.Adaptive));

        Assert.Equal(new BedrockRetrySettings(2, RetryMode.Standard), Resolve(new BedrockClientOptions { MaxAttempts = 2, RetryMode = RetryMode.Standard }, env, profiles));
        Assert.Equal(new BedrockRetrySettings(2, RetryMode.Adaptive), Resolve(new BedrockClientOptions { MaxAttempts = 2 }, env, profiles));
        Assert.Equal(new BedrockRetrySettings(7, RetryMode.Standard), Resolve(new BedrockClientOptions { RetryMode = RetryMode.Standard }, env, profiles));
    }

    [Fact]
    public void The_environment_wins_over_the_profile_and_the_profile_over_the_default()
    {
        var profiles = Profiles(("default", 9, RetryMode.Adaptive), ("work", 4, null));

        Assert.Equal(new BedrockRetrySettings(7, RetryMode.Adaptive), Resolve(new BedrockClientOptions(), Env(("AWS_MAX_ATTEMPTS", "7")), profiles));
        Assert.Equal(new BedrockRetrySettings(9, RetryMode.Standard), Resolve(new BedrockClientOptions(), Env(("AWS_RETRY_MODE", "standard")), profiles));
        Assert.Equal(new BedrockRetrySettings(9, RetryMode.Adaptive), Resolve(new BedrockClientOptions(), Env(), profiles));
        Assert.Equal(new BedrockRetrySettings(4, RetryMode.Standard), Resolve(new BedrockClientOptions { ProfileName = "work" }, Env(), profiles));
        Assert.Equal(new BedrockRetrySettings(4, RetryMode.Standard), Resolve(new BedrockClientOptions(), Env(("AWS_PROFILE", "work")), profiles));
    }

    [Theory]
    [InlineData(" 5 ", "STANDARD", 5, RetryMode.Standard)]
    [InlineData("1", " Adaptive ", 1, RetryMode.Adaptive)]
    [InlineData("", "", 3, RetryMode.Standard)]
    public void Environment_values_are_trimmed_and_case_insensitive(string attempts, string mode, int expectedAttempts, RetryMode expectedMode)
    {
        Assert.Equal(new BedrockRetrySettings(expectedAttempts, expectedMode), Resolve(new BedrockClientOptions(), Env(("AWS_MAX_ATTEMPTS", attempts), ("AWS_RETRY_MODE", mode))));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("three")]
    [InlineData("2.5")]
    [InlineData("99999999999")]
    public void An_invalid_AWS_MAX_ATTEMPTS_is_a_clear_error(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(new BedrockClientOptions(), Env(("AWS_MAX_ATTEMPTS", value))));

        Assert.Contains("AWS_MAX_ATTEMPTS", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_option_hides_an_invalid_environment_value()
    {
        Assert.Equal(new BedrockRetrySettings(2, RetryMode.Standard), Resolve(new BedrockClientOptions { MaxAttempts = 2, RetryMode = RetryMode.Standard }, Env(("AWS_MAX_ATTEMPTS", "x"), ("AWS_RETRY_MODE", "legacy"))));
    }

    [Theory]
    [InlineData("legacy", "does not implement")]
    [InlineData("fast", "must be 'standard' or 'adaptive'")]
    public void An_unsupported_AWS_RETRY_MODE_is_a_clear_error(string value, string says)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(new BedrockClientOptions(), Env(("AWS_RETRY_MODE", value))));

        Assert.Contains("AWS_RETRY_MODE", error.Message, StringComparison.Ordinal);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Contains("BedrockClientOptions.RetryMode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_explicit_options_name_the_option()
    {
        Assert.Contains("MaxAttempts", Assert.Throws<ArgumentOutOfRangeException>(() => Resolve(new BedrockClientOptions { MaxAttempts = 0 }, Env())).Message, StringComparison.Ordinal);
        Assert.Contains("RetryMode", Assert.Throws<ArgumentOutOfRangeException>(() => Resolve(new BedrockClientOptions { RetryMode = (RetryMode)7 }, Env())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_sends_the_attempts_the_environment_asks_for()
    {
        var clock = new AutoAdvancingTimeProvider();
        var transport = new ScriptedHttpHandler();
        for (var i = 0; i < 5; i++)
        {
            transport.Enqueue(HttpStatusCode.ServiceUnavailable, """{"message":"busy"}""");
        }

        using var client = new BedrockRuntimeClient(
            new BedrockClientOptions { Region = "us-west-2", EndpointUrl = new Uri("http://127.0.0.1:1"), BearerToken = "tok", HttpHandler = transport, TimeProvider = clock },
            Env(("AWS_MAX_ATTEMPTS", "5"), ("AWS_RETRY_MODE", "adaptive")));

        await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => client.ConverseAsync(new ConverseRequest { ModelId = "m", Messages = [Message.User("hi")] }));

        Assert.Equal(5, client.MaxAttempts);
        Assert.Equal(RetryMode.Adaptive, client.RetryMode);
        Assert.Equal("attempt=5; max=5", transport.Requests[^1].Request.Headers.GetValues("amz-sdk-request").Single());
    }
}

/// <summary>The profile's max_attempts and retry_mode, read by AWSSDK.Core from the shared config file.</summary>
[Collection(ProcessEnvironmentGroup.Name)]
public sealed class BedrockRetrySettingsProfileFileTests
{
    private const string Config = """
        [default]
        max_attempts = 4
        [profile adaptive]
        max_attempts = 6
        retry_mode = adaptive
        """;

    [Fact]
    public void The_named_profile_and_the_default_profile_set_attempts_and_mode()
    {
        using var scope = EnvironmentVariableScope.IsolatedAws(Config);

        using var named = new BedrockRuntimeClient(new BedrockClientOptions { ProfileName = "adaptive", Credentials = new BasicAWSCredentials("a", "b") });
        using var fallback = new BedrockRuntimeClient(new BedrockClientOptions { Credentials = new BasicAWSCredentials("a", "b") });
        scope.Set("AWS_MAX_ATTEMPTS", "2");
        using var fromEnv = new BedrockRuntimeClient(new BedrockClientOptions { ProfileName = "adaptive", Credentials = new BasicAWSCredentials("a", "b") });

        Assert.Equal((6, RetryMode.Adaptive), (named.MaxAttempts, named.RetryMode));
        Assert.Equal((4, RetryMode.Standard), (fallback.MaxAttempts, fallback.RetryMode));
        Assert.Equal((2, RetryMode.Adaptive), (fromEnv.MaxAttempts, fromEnv.RetryMode));
    }
}
