using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Strands.Bedrock;
using Strands.Bedrock.Testing;
using Strands.Tests.TestUtilities;
using Xunit;

namespace Strands.Tests.Bedrock.Auth;

public sealed class BedrockHandlerChainTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static HttpRequestMessage Post() =>
        new(HttpMethod.Post, "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse") { Content = new StringContent("{}") };

    [Fact]
    public async Task Bearer_token_sets_Authorization_and_no_SigV4_headers()
    {
        var capture = new CapturingHandler();
        var options = new BedrockClientOptions { BearerToken = "bedrock-api-key-EXAMPLE", HttpHandler = capture };
        using var invoker = new HttpMessageInvoker(BedrockHandlerChain.Build(options, "us-east-1", _ => null));

        var request = Post();
        request.Headers.TryAddWithoutValidation("Authorization", "Basic stale");
        using var response = await invoker.SendAsync(request, CancellationToken.None);

        var captured = Assert.Single(capture.Requests);
        Assert.Equal(["Bearer bedrock-api-key-EXAMPLE"], captured.Request.Headers.NonValidated["Authorization"]);
        Assert.Null(captured.Header("x-amz-date"));
        Assert.Null(captured.Header("x-amz-content-sha256"));
        Assert.Null(captured.Header("x-amz-security-token"));
    }

    [Fact]
    public void Bearer_token_from_the_environment_selects_the_bearer_handler()
    {
        var options = new BedrockClientOptions { HttpHandler = new CapturingHandler() };

        using var handler = BedrockHandlerChain.Build(options, "us-east-1", Env(("AWS_BEARER_TOKEN_BEDROCK", "env-key")));

        Assert.IsType<BearerTokenHandler>(handler);
    }

    [Fact]
    public void Explicit_credentials_beat_the_bearer_token_variable()
    {
        var options = new BedrockClientOptions { Credentials = new BasicAWSCredentials("a", "b"), HttpHandler = new CapturingHandler() };

        using var handler = BedrockHandlerChain.Build(options, "us-east-1", Env(("AWS_BEARER_TOKEN_BEDROCK", "env-key")));

        Assert.IsType<SigV4SigningHandler>(handler);
    }

    [Fact]
    public void Default_transport_is_a_non_redirecting_sockets_handler()
    {
        var options = new BedrockClientOptions { ConnectTimeout = TimeSpan.FromSeconds(3) };

        using var handler = BedrockHandlerChain.CreateSocketsHandler(options);

        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseCookies);
        Assert.Equal(DecompressionMethods.None, handler.AutomaticDecompression);
        Assert.Equal(TimeSpan.FromSeconds(3), handler.ConnectTimeout);
        Assert.Equal(BedrockHandlerChain.PooledConnectionLifetime, handler.PooledConnectionLifetime);
    }

    [Fact]
    public void Non_positive_connect_timeout_names_the_option()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            BedrockHandlerChain.CreateSocketsHandler(new BedrockClientOptions { ConnectTimeout = TimeSpan.Zero }));

        Assert.Contains("ConnectTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transport_prefers_HttpHandler_then_HttpClient_then_sockets()
    {
        var capture = new CapturingHandler();
        using var client = new HttpClient(new CapturingHandler());

        Assert.Same(capture, BedrockHandlerChain.CreateTransport(new BedrockClientOptions { HttpHandler = capture, HttpClient = client }));
        Assert.IsType<HttpClientForwardingHandler>(BedrockHandlerChain.CreateTransport(new BedrockClientOptions { HttpClient = client }));
        Assert.IsType<SocketsHttpHandler>(BedrockHandlerChain.CreateTransport(new BedrockClientOptions()));
    }

    [Fact]
    public async Task Caller_HttpClient_receives_the_signed_request_and_is_not_disposed()
    {
        var capture = new CapturingHandler();
        using var client = new HttpClient(capture);
        var options = new BedrockClientOptions { HttpClient = client, Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret") };

        using (var invoker = new HttpMessageInvoker(BedrockHandlerChain.Build(options, "us-west-2", _ => null), disposeHandler: true))
        {
            using var response = await invoker.SendAsync(Post(), CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var captured = Assert.Single(capture.Requests);
        Assert.True(SigV4Verifier.Verify(captured.Request, captured.Body, "secret").IsValid);
        Assert.False(capture.Disposed);
        using var again = await client.GetAsync(new Uri("http://127.0.0.1:1/"));
    }

    [Fact]
    public void Disposing_the_chain_disposes_the_HttpHandler()
    {
        var capture = new CapturingHandler();
        var options = new BedrockClientOptions { HttpHandler = capture, Credentials = new BasicAWSCredentials("a", "b") };

        BedrockHandlerChain.Build(options, "us-west-2", _ => null).Dispose();

        Assert.True(capture.Disposed);
    }
}

[Collection(ProcessEnvironmentGroup.Name)]
public sealed class BedrockHandlerChainEnvironmentTests
{
    [Fact]
    public void Building_without_any_credentials_does_not_fail()
    {
        using var scope = EnvironmentVariableScope.IsolatedAws();
        var options = new BedrockClientOptions { HttpHandler = new CapturingHandler() };

        using var handler = BedrockHandlerChain.Build(options, "us-west-2", Environment.GetEnvironmentVariable);

        Assert.IsType<SigV4SigningHandler>(handler);
    }

    [Fact]
    public async Task Missing_credentials_surface_at_the_first_request()
    {
        using var scope = EnvironmentVariableScope.IsolatedAws();
        var capture = new CapturingHandler();
        var options = new BedrockClientOptions { HttpHandler = capture };
        using var invoker = new HttpMessageInvoker(BedrockHandlerChain.Build(options, "us-west-2", Environment.GetEnvironmentVariable));

        await Assert.ThrowsAsync<BedrockCredentialsException>(() =>
            invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "https://bedrock-runtime.us-west-2.amazonaws.com/model/m/converse"), CancellationToken.None));
        Assert.Empty(capture.Requests);
    }

    [Fact]
    public void Unknown_profile_fails_at_build_naming_the_profile()
    {
        using var scope = EnvironmentVariableScope.IsolatedAws();
        var options = new BedrockClientOptions { ProfileName = "ghost", HttpHandler = new CapturingHandler() };

        var error = Assert.Throws<BedrockCredentialsException>(() => BedrockHandlerChain.Build(options, "us-west-2", _ => null));

        Assert.Contains("ghost", error.Message, StringComparison.Ordinal);
    }
}
