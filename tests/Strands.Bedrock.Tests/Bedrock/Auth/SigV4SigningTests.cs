using System.Text;
using Amazon.Runtime;
using Strands.Bedrock;
using Strands.Bedrock.Testing;
using Strands.Tests.TestUtilities;
using Xunit;

namespace Strands.Tests.Bedrock.Auth;

/// <summary>
/// Requests signed by AWSSDK.Core's SigV4SigningHandler, as wired by <see cref="BedrockHandlerChain"/>, checked by the
/// independent <see cref="SigV4Verifier"/>.
/// </summary>
public sealed class SigV4SigningTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string ArnPath =
        "/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-20250514-v1%3A0/converse";

    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"messages":[{"role":"user","content":[{"text":"Hello"}]}],"inferenceConfig":{"maxTokens":512}}""");

    private static (HttpMessageInvoker Invoker, CapturingHandler Capture) Chain(AWSCredentials credentials, string region = "us-west-2")
    {
        var capture = new CapturingHandler();
        var options = new BedrockClientOptions { Credentials = credentials, HttpHandler = capture };
        var handler = BedrockHandlerChain.Build(options, region, _ => null);
        return (new HttpMessageInvoker(handler, disposeHandler: true), capture);
    }

    private static HttpRequestMessage Post(Uri uri, byte[]? body = null)
    {
        var content = new ByteArrayContent(body ?? Body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation(BedrockUserAgent.HeaderName, BedrockUserAgent.Build("test"));
        return request;
    }

    private static Uri FixtureUri() => new("http://127.0.0.1:1" + ArnPath, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    [Fact]
    public async Task Converse_request_with_an_ARN_path_is_signed_correctly()
    {
        var (invoker, capture) = Chain(new BasicAWSCredentials(AccessKey, SecretKey));
        using (invoker)
        {
            using var response = await invoker.SendAsync(Post(FixtureUri()), CancellationToken.None);
        }

        var captured = Assert.Single(capture.Requests);
        var result = SigV4Verifier.Verify(captured.Request, captured.Body, SecretKey);

        Assert.True(result.IsValid, result.FailureReason + "\n" + result.CanonicalRequest);
        Assert.Equal(AccessKey, result.AccessKeyId);
        Assert.Equal("us-west-2", result.Region);
        Assert.Equal("bedrock", result.Service);
        Assert.Equal(ArnPath, captured.Request.RequestUri!.AbsolutePath);
        Assert.Contains("/model/arn%253Aaws%253Abedrock%253Aus-west-2%253A123456789012%253Ainference-profile%252Fus.anthropic", result.CanonicalRequest, StringComparison.Ordinal);
        Assert.Contains("host", result.SignedHeaders!);
        Assert.Contains("content-type", result.SignedHeaders!);
        Assert.Contains("x-amz-content-sha256", result.SignedHeaders!);
        Assert.DoesNotContain("user-agent", result.SignedHeaders!);
        Assert.DoesNotContain("x-amz-security-token", result.SignedHeaders!);
        Assert.Null(captured.Header("x-amz-security-token"));
        Assert.Equal(Body, captured.Body);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - result.SignedAt!.Value).TotalMinutes) < 5);
    }

    [Fact]
    public async Task Request_uris_from_the_endpoint_resolver_verify_for_hostile_model_ids()
    {
        var (invoker, capture) = Chain(new BasicAWSCredentials(AccessKey, SecretKey), "eu-central-1");
        var endpoint = new Uri("http://localhost:8080/base%20path/");
        string[] ids = ["..", "a/b", "a?b#c", "%2e%2e", " ", "ünï😀", "us.amazon.nova-pro-v1:0"];
        using (invoker)
        {
            foreach (var id in ids)
            {
                using var response = await invoker.SendAsync(Post(BedrockEndpointResolver.BuildRequestUri(endpoint, id, stream: true)), CancellationToken.None);
            }
        }

        Assert.Equal(ids.Length, capture.Requests.Count);
        foreach (var captured in capture.Requests)
        {
            var result = SigV4Verifier.Verify(captured.Request, captured.Body, SecretKey);
            Assert.True(result.IsValid, captured.Request.RequestUri!.OriginalString + ": " + result.FailureReason + "\n" + result.CanonicalRequest);
            Assert.Equal("eu-central-1", result.Region);
        }
    }

    [Fact]
    public async Task Session_token_is_sent_and_signed()
    {
        var (invoker, capture) = Chain(new SessionAWSCredentials(AccessKey, SecretKey, "SESSIONTOKEN"));
        using (invoker)
        {
            using var response = await invoker.SendAsync(Post(FixtureUri()), CancellationToken.None);
        }

        var captured = Assert.Single(capture.Requests);
        var result = SigV4Verifier.Verify(captured.Request, captured.Body, SecretKey);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Contains("x-amz-security-token", result.SignedHeaders!);
        Assert.Equal("SESSIONTOKEN", captured.Header("x-amz-security-token"));
    }

    [Fact]
    public async Task Wrong_secret_or_tampering_fails_verification()
    {
        var (invoker, capture) = Chain(new BasicAWSCredentials(AccessKey, SecretKey));
        using (invoker)
        {
            using var response = await invoker.SendAsync(Post(FixtureUri()), CancellationToken.None);
        }

        var captured = Assert.Single(capture.Requests);
        var wrongSecret = SigV4Verifier.Verify(captured.Request, captured.Body, SecretKey + "x");
        var tamperedBody = SigV4Verifier.Verify(captured.Request, [.. captured.Body, (byte)' '], SecretKey);
        var raw = SigV4Request.From(captured.Request, captured.Body);
        var tamperedPath = SigV4Verifier.Verify(raw with { RawPath = raw.RawPath.Replace("converse", "converse-stream", StringComparison.Ordinal) }, _ => SecretKey);
        var unknownKey = SigV4Verifier.Verify(raw, _ => null);

        Assert.False(wrongSecret.IsValid);
        Assert.Equal("signature mismatch", wrongSecret.FailureReason);
        Assert.False(tamperedBody.IsValid);
        Assert.False(tamperedPath.IsValid);
        Assert.False(unknownKey.IsValid);
    }

    [Fact]
    public async Task Each_request_is_signed_afresh()
    {
        var (invoker, capture) = Chain(new BasicAWSCredentials(AccessKey, SecretKey));
        using (invoker)
        {
            using var first = await invoker.SendAsync(Post(FixtureUri()), CancellationToken.None);
            using var second = await invoker.SendAsync(Post(FixtureUri(), Encoding.UTF8.GetBytes("""{"messages":[]}""")), CancellationToken.None);
        }

        var requests = capture.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        var signatures = requests.Select(r =>
        {
            var result = SigV4Verifier.Verify(r.Request, r.Body, SecretKey);
            Assert.True(result.IsValid, result.FailureReason);
            Assert.Single(r.Request.Headers.NonValidated["Authorization"]);
            return result.ActualSignature;
        }).ToArray();
        Assert.NotEqual(signatures[0], signatures[1]);
    }

    [Fact]
    public void Verifier_matches_the_reference_canonical_uri_rule()
    {
        Assert.Equal("/model/arn%253Aaws/converse", SigV4Verifier.CanonicalUri("/model/arn%3Aaws/converse"));
        Assert.Equal("/", SigV4Verifier.CanonicalUri(""));
        Assert.Equal("%C3%BC%20~._-", SigV4Verifier.UriEncode("ü ~._-"));
    }
}
