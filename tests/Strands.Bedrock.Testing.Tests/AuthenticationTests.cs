using System.Net;
using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Strands.Bedrock.Testing.Tests.Support;

namespace Strands.Bedrock.Testing.Tests;

/// <summary>The fake checks SigV4 signatures and bearer tokens, so a broken signer fails a test.</summary>
public sealed class AuthenticationTests
{
    public static TheoryData<string> Transports => Fake.Transports;

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_correct_signature_is_accepted_and_recorded(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        fake.Bedrock.Enqueue(FakeResponse.Text("ok"));
        using var client = fake.Client();

        await client.ConverseAsync(Fake.Converse());

        var request = Assert.Single(fake.Bedrock.Requests);
        Assert.True(request.IsAuthenticated);
        Assert.NotNull(request.Signature);
        Assert.True(request.Signature.IsValid, request.Signature.FailureReason);
        Assert.Equal("AKIDEXAMPLE", request.Signature.AccessKeyId);
        Assert.Equal("us-west-2", request.Signature.Region);
        Assert.Equal("bedrock", request.Signature.Service);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_wrong_secret_is_rejected_with_InvalidSignatureException(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        fake.Bedrock.Enqueue(FakeResponse.Text("never sent"));
        using var client = fake.Client(fake.Bedrock.CreateClientOptions(maxAttempts: 1) with { Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "wrong-secret") });

        var error = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => client.ConverseAsync(Fake.Converse()));

        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        var request = Assert.Single(fake.Bedrock.Requests);
        Assert.False(request.IsAuthenticated);
        Assert.False(request.Signature!.IsValid);
        Assert.Equal(1, fake.Bedrock.PendingResponses); // the script is untouched
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task An_unknown_access_key_is_rejected(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        using var client = fake.Client(fake.Bedrock.CreateClientOptions(1) with { Credentials = new BasicAWSCredentials("AKIDOTHER", "secret") });

        var error = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => client.ConverseAsync(Fake.Converse()));

        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_signature_for_another_region_is_rejected(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        using var client = fake.Client(fake.Bedrock.CreateClientOptions(1) with { Region = "eu-central-1" });

        var error = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => client.ConverseAsync(Fake.Converse()));

        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.Contains("region", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_session_token_must_arrive_signed(string transport)
    {
        var credentials = new SessionAWSCredentials("ASIAEXAMPLE", "session-secret", "the-session-token");
        await using var fake = await Fake.StartAsync(transport, new FakeBedrockServerOptions { Credentials = credentials });
        fake.Bedrock.Enqueue(FakeResponse.Text("ok"));
        using var good = fake.Client();
        using var bad = fake.Client(fake.Bedrock.CreateClientOptions(1) with { Credentials = new SessionAWSCredentials("ASIAEXAMPLE", "session-secret", "another-token") });

        await good.ConverseAsync(Fake.Converse());
        var error = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => bad.ConverseAsync(Fake.Converse()));

        Assert.Equal("the-session-token", fake.Bedrock.Requests[0].Header("x-amz-security-token"));
        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_signature_older_than_the_allowed_skew_has_expired(string transport)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(1));
        await using var fake = await Fake.StartAsync(transport, new FakeBedrockServerOptions { TimeProvider = clock });
        using var client = fake.Client();

        var error = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => client.ConverseAsync(Fake.Converse()));

        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.Contains("Signature expired", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_bearer_token_is_accepted_and_a_wrong_one_rejected(string transport)
    {
        await using var fake = await Fake.StartAsync(transport, new FakeBedrockServerOptions { BearerToken = "bedrock-api-key-123" });
        fake.Bedrock.Enqueue(FakeResponse.Text("ok"));
        using var good = fake.Client();
        using var bad = fake.Client(fake.Bedrock.CreateClientOptions(1) with { BearerToken = "bedrock-api-key-999" });

        var response = await good.ConverseAsync(Fake.Converse());
        var error = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => bad.ConverseAsync(Fake.Converse()));

        Assert.Equal("ok", response.Output.Message!.Content[0].Text);
        Assert.Equal("Bearer bedrock-api-key-123", fake.Bedrock.Requests[0].Header("authorization"));
        Assert.Null(fake.Bedrock.Requests[0].Header("x-amz-date"));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
    }

    [Fact]
    public async Task A_bearer_token_is_rejected_when_none_is_configured()
    {
        await using var fake = await Fake.StartAsync("handler");
        using var client = fake.Client(fake.Bedrock.CreateClientOptions(1) with { Credentials = null, BearerToken = "some-key" });

        var error = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => client.ConverseAsync(Fake.Converse()));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task A_request_without_authorization_is_rejected()
    {
        await using var server = await FakeBedrockServer.StartAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(server.Endpoint, "model/m/converse"), new StringContent("""{"messages":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Equal("""{"message":"Missing Authentication Token"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Verification_can_be_turned_off()
    {
        await using var server = await FakeBedrockServer.StartAsync(new FakeBedrockServerOptions { VerifyAuthentication = false });
        server.Enqueue(FakeResponse.Text("open"));
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(server.Endpoint, "model/m/converse"), new StringContent("""{"messages":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("open", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
