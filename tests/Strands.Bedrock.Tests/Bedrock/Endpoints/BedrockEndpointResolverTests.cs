using Strands.Bedrock;
using Strands.Tests.TestUtilities;
using Xunit;

namespace Strands.Tests.Bedrock.Endpoints;

public sealed class BedrockEndpointResolverTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static readonly Func<string, string?> NoEnv = _ => null;

    [Theory]
    [InlineData("arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0",
        "/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-20250514-v1%3A0/converse")]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0", "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse")]
    [InlineData("us.amazon.nova-pro-v1:0", "/model/us.amazon.nova-pro-v1%3A0/converse")]
    public void Paths_of_the_fixture_model_ids_match_the_JS_SDK(string modelId, string expected)
    {
        Assert.Equal(expected, BedrockEndpointResolver.BuildPath(modelId, stream: false));
        Assert.Equal(expected + "-stream", BedrockEndpointResolver.BuildPath(modelId, stream: true));
    }

    [Fact]
    public void Fixture_paths_reach_the_wire_unchanged()
    {
        using var summary = WireFixtures.Document("summary.json");
        var expected = summary.RootElement.GetProperty("converse").GetProperty("path").GetString();
        var expectedStream = summary.RootElement.GetProperty("converseStream").GetProperty("path").GetString();
        const string modelId = "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0";

        var uri = BedrockEndpointResolver.BuildRequestUri(new Uri("http://127.0.0.1:8080"), modelId, stream: false);
        var streamUri = BedrockEndpointResolver.BuildRequestUri(new Uri("http://127.0.0.1:8080"), modelId, stream: true);

        Assert.Equal(expected, uri.AbsolutePath);
        Assert.Equal(expected, uri.PathAndQuery);
        Assert.Equal("http://127.0.0.1:8080" + expected, uri.OriginalString);
        Assert.Equal(expectedStream, streamUri.PathAndQuery);
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData("a/b")]
    [InlineData("a?b#c")]
    [InlineData("%2e%2e")]
    [InlineData("%2F")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData(" ")]
    [InlineData("ünïcødé😀")]
    [InlineData("a\\b")]
    [InlineData("a;b=c&d")]
    [InlineData("\r\nHost: evil")]
    public void Hostile_model_ids_stay_one_path_segment(string modelId)
    {
        foreach (var stream in new[] { false, true })
        {
            var uri = BedrockEndpointResolver.BuildRequestUri(new Uri("https://bedrock-runtime.us-east-1.amazonaws.com/"), modelId, stream);

            Assert.StartsWith("/model/", uri.AbsolutePath, StringComparison.Ordinal);
            var segments = uri.AbsolutePath.Split('/');
            Assert.Equal(4, segments.Length); // "", "model", "{id}", "converse[-stream]"
            Assert.Equal(stream ? "converse-stream" : "converse", segments[3]);
            Assert.Equal(uri.AbsolutePath, uri.PathAndQuery);
            Assert.Equal(string.Empty, uri.Query);
            Assert.Equal(string.Empty, uri.Fragment);
            Assert.Equal("bedrock-runtime.us-east-1.amazonaws.com", uri.Host);
            Assert.Equal(modelId, Uri.UnescapeDataString(segments[2]));
        }
    }

    [Fact]
    public void Dot_segments_are_percent_encoded()
    {
        Assert.Equal("/model/%2E%2E/converse", BedrockEndpointResolver.BuildPath("..", false));
        Assert.Equal("/model/%2E/converse-stream", BedrockEndpointResolver.BuildPath(".", true));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Empty_model_id_is_rejected(string? modelId)
    {
        Assert.Throws<ArgumentException>(() => BedrockEndpointResolver.BuildPath(modelId!, false));
        Assert.Throws<ArgumentException>(() => BedrockEndpointResolver.BuildRequestUri(new Uri("https://h/"), modelId!, false));
    }

    [Theory]
    [InlineData("us-east-1", false, "https://bedrock-runtime.us-east-1.amazonaws.com/")]
    [InlineData("us-east-1", true, "https://bedrock-runtime-fips.us-east-1.amazonaws.com/")]
    [InlineData("cn-north-1", false, "https://bedrock-runtime.cn-north-1.amazonaws.com.cn/")]
    [InlineData("cn-north-1", true, "https://bedrock-runtime-fips.cn-north-1.amazonaws.com.cn/")]
    [InlineData("us-gov-west-1", false, "https://bedrock-runtime.us-gov-west-1.amazonaws.com/")]
    [InlineData("us-gov-west-1", true, "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com/")]
    [InlineData("us-gov-east-1", true, "https://bedrock-runtime-fips.us-gov-east-1.amazonaws.com/")]
    [InlineData("us-iso-east-1", false, "https://bedrock-runtime.us-iso-east-1.c2s.ic.gov/")]
    [InlineData("us-iso-east-1", true, "https://bedrock-runtime-fips.us-iso-east-1.c2s.ic.gov/")]
    [InlineData("us-isob-east-1", false, "https://bedrock-runtime.us-isob-east-1.sc2s.sgov.gov/")]
    [InlineData("us-isob-east-1", true, "https://bedrock-runtime-fips.us-isob-east-1.sc2s.sgov.gov/")]
    [InlineData("xx-future-9", false, "https://bedrock-runtime.xx-future-9.amazonaws.com/")]
    public void Regional_endpoints_follow_the_rule_set(string region, bool fips, string expected)
    {
        var options = new BedrockClientOptions { UseFipsEndpoint = fips };

        Assert.Equal(new Uri(expected), BedrockEndpointResolver.Resolve(options, region, NoEnv));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("us-west-2.evil.com")]
    [InlineData("us-west-2/")]
    [InlineData("-us-west-2")]
    [InlineData("us_west_2")]
    public void Invalid_regions_are_rejected(string region)
    {
        var error = Assert.Throws<ArgumentException>(() => BedrockEndpointResolver.Resolve(new BedrockClientOptions(), region, NoEnv));
        Assert.Contains("Region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_endpoint_wins_over_the_environment()
    {
        var options = new BedrockClientOptions { EndpointUrl = new Uri("https://vpce-123.bedrock-runtime.us-east-1.vpce.amazonaws.com") };
        var env = Env((BedrockEndpointResolver.ServiceEndpointVariable, "http://localhost:1"), (BedrockEndpointResolver.GlobalEndpointVariable, "http://localhost:2"));

        Assert.Equal(options.EndpointUrl, BedrockEndpointResolver.Resolve(options, "us-east-1", env));
    }

    [Fact]
    public void Service_variable_wins_over_the_global_one_which_wins_over_the_region()
    {
        var both = Env((BedrockEndpointResolver.ServiceEndpointVariable, "http://localhost:1"), (BedrockEndpointResolver.GlobalEndpointVariable, "http://localhost:2"));
        var global = Env((BedrockEndpointResolver.GlobalEndpointVariable, " http://localhost:2 "));
        var blankService = Env((BedrockEndpointResolver.ServiceEndpointVariable, "  "), (BedrockEndpointResolver.GlobalEndpointVariable, "http://localhost:2"));
        var options = new BedrockClientOptions();

        Assert.Equal(new Uri("http://localhost:1"), BedrockEndpointResolver.Resolve(options, "us-east-1", both));
        Assert.Equal(new Uri("http://localhost:2"), BedrockEndpointResolver.Resolve(options, "us-east-1", global));
        Assert.Equal(new Uri("http://localhost:2"), BedrockEndpointResolver.Resolve(options, "us-east-1", blankService));
        Assert.Equal(new Uri("https://bedrock-runtime.us-east-1.amazonaws.com/"), BedrockEndpointResolver.Resolve(options, "us-east-1", NoEnv));
    }

    [Fact]
    public void Configured_endpoints_can_be_ignored()
    {
        var env = Env((BedrockEndpointResolver.ServiceEndpointVariable, "http://localhost:1"), (BedrockEndpointResolver.IgnoreConfiguredEndpointsVariable, "TRUE"));

        Assert.Equal(new Uri("https://bedrock-runtime.eu-west-1.amazonaws.com/"), BedrockEndpointResolver.Resolve(new BedrockClientOptions(), "eu-west-1", env));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("localhost:4566")]
    [InlineData("ftp://example.com")]
    [InlineData("/relative/path")]
    [InlineData("https://example.com/?x=1")]
    [InlineData("https://user:secret@example.com/")]
    public void Invalid_endpoint_variables_name_the_variable(string value)
    {
        var env = Env((BedrockEndpointResolver.ServiceEndpointVariable, value));

        var error = Assert.Throws<InvalidOperationException>(() => BedrockEndpointResolver.Resolve(new BedrockClientOptions(), "us-east-1", env));

        Assert.Contains(BedrockEndpointResolver.ServiceEndpointVariable, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com")]
    [InlineData("https://example.com/#frag")]
    public void Invalid_explicit_endpoint_names_the_option(string value)
    {
        var options = new BedrockClientOptions { EndpointUrl = new Uri(value) };

        var error = Assert.Throws<ArgumentException>(() => BedrockEndpointResolver.Resolve(options, "us-east-1", NoEnv));
        Assert.Contains("EndpointUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_explicit_endpoint_is_rejected()
    {
        var options = new BedrockClientOptions { EndpointUrl = new Uri("relative", UriKind.Relative) };

        Assert.Throws<ArgumentException>(() => BedrockEndpointResolver.Resolve(options, "us-east-1", NoEnv));
    }

    [Fact]
    public void Fips_with_a_custom_endpoint_names_UseFipsEndpoint()
    {
        var explicitEndpoint = new BedrockClientOptions { UseFipsEndpoint = true, EndpointUrl = new Uri("https://example.com") };
        var fips = new BedrockClientOptions { UseFipsEndpoint = true };

        var fromOption = Assert.Throws<ArgumentException>(() => BedrockEndpointResolver.Resolve(explicitEndpoint, "us-east-1", NoEnv));
        var fromEnv = Assert.Throws<ArgumentException>(() =>
            BedrockEndpointResolver.Resolve(fips, "us-east-1", Env((BedrockEndpointResolver.GlobalEndpointVariable, "https://example.com"))));

        Assert.Contains("UseFipsEndpoint", fromOption.Message, StringComparison.Ordinal);
        Assert.Contains("UseFipsEndpoint", fromEnv.Message, StringComparison.Ordinal);
        Assert.Contains(BedrockEndpointResolver.GlobalEndpointVariable, fromEnv.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/model/m%3A0/converse")]
    [InlineData("http://localhost:5000/", "http://localhost:5000/model/m%3A0/converse")]
    [InlineData("https://proxy.example.com/bedrock", "https://proxy.example.com/bedrock/model/m%3A0/converse")]
    [InlineData("https://proxy.example.com/a%20b/bedrock/", "https://proxy.example.com/a%20b/bedrock/model/m%3A0/converse")]
    [InlineData("https://[::1]:8443/", "https://[::1]:8443/model/m%3A0/converse")]
    public void Request_uri_keeps_scheme_port_and_base_path(string endpoint, string expected)
    {
        var options = new BedrockClientOptions { EndpointUrl = new Uri(endpoint) };
        var resolved = BedrockEndpointResolver.Resolve(options, "us-east-1", NoEnv);

        var uri = BedrockEndpointResolver.BuildRequestUri(resolved, "m:0", stream: false);

        Assert.Equal(expected, uri.OriginalString);
        Assert.Equal(new Uri(expected).PathAndQuery, uri.PathAndQuery);
    }

    [Theory]
    [InlineData("http://example.invalid")]
    [InlineData("http://bedrock-runtime.us-east-1.amazonaws.com")]
    [InlineData("http://10.0.0.5:8080/")]
    [InlineData("http://0.0.0.0:5000")]
    [InlineData("http://foo.localhost/")]
    [InlineData("http://[fe80::1]/")]
    public void Plain_http_to_a_host_that_is_not_loopback_is_refused_at_construction(string endpoint)
    {
        foreach (var options in new[]
        {
            new BedrockClientOptions { Region = "us-east-1", EndpointUrl = new Uri(endpoint), BearerToken = "ABSKtoken" },
            new BedrockClientOptions { Region = "us-east-1", EndpointUrl = new Uri(endpoint), Credentials = new Amazon.Runtime.SessionAWSCredentials("AKID", "secret", "session") },
        })
        {
            var error = Assert.Throws<ArgumentException>(() => new BedrockRuntimeClient(options));

            Assert.Contains("BedrockClientOptions.EndpointUrl is plain http", error.Message, StringComparison.Ordinal);
            Assert.Contains(nameof(BedrockClientOptions.UnsafeAllowHttpToAnyHost), error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(BedrockEndpointResolver.ServiceEndpointVariable)]
    [InlineData(BedrockEndpointResolver.GlobalEndpointVariable)]
    public void Plain_http_to_a_host_that_is_not_loopback_from_the_environment_names_the_variable(string variable)
    {
        var error = Assert.Throws<InvalidOperationException>(() => BedrockEndpointResolver.Resolve(new BedrockClientOptions(), "us-east-1", Env((variable, "http://bedrock.internal.example.com:8080"))));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(BedrockClientOptions.UnsafeAllowHttpToAnyHost), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:8080")]
    [InlineData("http://LOCALHOST/")]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://127.42.0.7/")]
    [InlineData("http://[::1]:5000/")]
    [InlineData("https://bedrock.example.com/")]
    public void Https_anywhere_and_plain_http_on_loopback_are_accepted(string endpoint)
    {
        var options = new BedrockClientOptions { EndpointUrl = new Uri(endpoint) };

        Assert.Equal(new Uri(endpoint), BedrockEndpointResolver.Resolve(options, "us-east-1", NoEnv));
        Assert.Equal(new Uri(endpoint), BedrockEndpointResolver.Resolve(new BedrockClientOptions(), "us-east-1", Env((BedrockEndpointResolver.GlobalEndpointVariable, endpoint))));
    }

    [Fact]
    public async Task The_opt_in_sends_over_plain_http_to_any_host()
    {
        var transport = new ScriptedHttpHandler().Enqueue(System.Net.HttpStatusCode.OK, WireFixtures.Json("converse-response.json")["served"]!["body"]!.ToJsonString());
        using var client = new BedrockRuntimeClient(new BedrockClientOptions
        {
            Region = "us-east-1",
            EndpointUrl = new Uri("http://bedrock.internal.example.com:8080"),
            UnsafeAllowHttpToAnyHost = true,
            BearerToken = "ABSKtoken",
            HttpHandler = transport,
        });

        await client.ConverseAsync(new ConverseRequest { ModelId = "m", Messages = [Strands.Content.Message.User("hi")] });

        var (request, _) = Assert.Single(transport.Requests);
        Assert.Equal("http://bedrock.internal.example.com:8080/model/m/converse", request.RequestUri!.ToString());
        Assert.Equal("Bearer ABSKtoken", request.Headers.GetValues("Authorization").Single());
    }
}
