using System.Net;
using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Strands.Agents;
using Strands.Bedrock;
using Strands.Bedrock.EventStream;
using Strands.Content;
using Strands.Models;
using Strands.Tests.TestUtilities;
using Strands.Bedrock.Testing.Internal;

namespace Strands.Tests.Bedrock;

/// <summary>
/// Canaries: a Bedrock API key, an access key pair and a session token that must never appear in a
/// <see cref="object.ToString"/>, a log entry (at any level, structured values included) or an exception.
/// </summary>
public class SecretRedactionTests
{
    private const string BearerCanary = "ABSKQmVkcm9ja0NBTkFSWS1iZWFyZXI";
    private const string AccessKeyCanary = "AKIACANARYACCESSKEY1";
    private const string SecretCanary = "CANARY/secret+key/wJalrXUtnFEMIK7MDENG";
    private const string SessionCanary = "CANARYsessionTokenIQoJb3JpZ2luX2VjE";

    private static readonly string[] Canaries = [BearerCanary, SecretCanary, SessionCanary];

    private static void AssertNoSecret(string? text, string where)
    {
        foreach (var canary in Canaries)
        {
            Assert.False(text?.Contains(canary, StringComparison.Ordinal) ?? false, $"{where} contains a secret: {text}");
        }
    }

    [Fact]
    public void Options_ToString_redacts_the_bearer_token_and_credentials()
    {
        var options = new BedrockClientOptions
        {
            BearerToken = BearerCanary,
            Credentials = new SessionAWSCredentials(AccessKeyCanary, SecretCanary, SessionCanary),
            Region = "eu-west-1",
        };

        var text = options.ToString();

        AssertNoSecret(text, "BedrockClientOptions.ToString()");
        Assert.DoesNotContain(AccessKeyCanary, text, StringComparison.Ordinal);
        Assert.Contains("BearerToken = <redacted>", text, StringComparison.Ordinal);
        Assert.Contains("Credentials = <SessionAWSCredentials, redacted>", text, StringComparison.Ordinal);
        Assert.Contains("Region = eu-west-1", text, StringComparison.Ordinal);
        AssertNoSecret((options with { MaxAttempts = 5 }).ToString(), "a copy's ToString()");
    }

    [Fact]
    public void Options_ToString_strips_user_information_from_the_endpoint()
    {
        var options = new BedrockClientOptions { EndpointUrl = new Uri($"https://user:{SecretCanary.Replace("/", "", StringComparison.Ordinal).Replace("+", "", StringComparison.Ordinal)}@proxy.example.com/base") };

        Assert.DoesNotContain("CANARY", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("https://proxy.example.com/base", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ToString_shows_every_other_member()
    {
        var text = new BedrockClientOptions().ToString();

        foreach (var property in typeof(BedrockClientOptions).GetProperties().Where(p => p.Name != "EqualityContract"))
        {
            Assert.Contains(property.Name + " = ", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task No_log_entry_or_exception_carries_a_secret_whatever_the_call_ends_with()
    {
        var logs = new RecordingLoggerFactory();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var badFrame = EventStreamWriter.EncodeEvent("contentBlockDelta", [.. "{\"contentBlockIndex\":0,\"delta\":{\"text\":\""u8, 0xFF, .. "\"}}"u8]);
        var transport = new ScriptedHttpHandler()
            .Enqueue(HttpStatusCode.TooManyRequests, """{"message":"slow down"}""", ("x-amzn-ErrorType", "ThrottlingException"))
            .EnqueueStream(new MemoryStream(badFrame))
            .Enqueue(HttpStatusCode.Forbidden, """{"message":"The security token included in the request is invalid."}""", ("x-amzn-ErrorType", "UnrecognizedClientException"))
            .EnqueueFailure(new HttpRequestException("connection reset"))
            .EnqueueFailure(new HttpRequestException("connection reset"));
        var exceptions = new List<Exception>();

        foreach (var auth in new[] { "bearer", "sigv4" })
        {
            var options = new BedrockClientOptions
            {
                Region = "us-west-2",
                EndpointUrl = new Uri("http://127.0.0.1:1"),
                HttpHandler = auth == "bearer" ? transport : new ScriptedHttpHandler().EnqueueFailure(new HttpRequestException("refused")).Enqueue(HttpStatusCode.Forbidden, """{"message":"Signature expired"}""", ("x-amzn-ErrorType", "InvalidSignatureException")),
                BearerToken = auth == "bearer" ? BearerCanary : null,
                Credentials = auth == "bearer" ? null : new SessionAWSCredentials(AccessKeyCanary, SecretCanary, SessionCanary),
                LoggerFactory = logs,
                TimeProvider = clock,
                MaxAttempts = 2,
            };
            using var model = new BedrockModel(new BedrockModelConfig { ModelId = "us.amazon.nova-pro-v1:0" }, options);
            var agent = new Agent(model, new AgentOptions { CallbackHandler = null, RetryStrategy = ModelRetryStrategy.None, LoggerFactory = logs });
            for (var call = 0; call < (auth == "bearer" ? 3 : 1); call++)
            {
                var invocation = agent.InvokeAsync("Hello");
                while (!invocation.IsCompleted)
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                    await Task.WhenAny(invocation, Task.Delay(5));
                }

                exceptions.Add(Assert.IsAssignableFrom<Exception>(await Record.ExceptionAsync(() => invocation)));
            }

            AssertNoSecret(model.Client.ToString(), "the client's ToString()");
            AssertNoSecret(((BedrockRuntimeClient)model.Client).Options.ToString(), "the client's options");
        }

        exceptions.Add(Assert.Throws<ArgumentException>(() => new BedrockRuntimeClient(new BedrockClientOptions { EndpointUrl = new Uri("http://bedrock.example.com"), BearerToken = BearerCanary })));

        Assert.Contains(exceptions, e => e is MalformedResponseException);
        Assert.Contains(exceptions, e => e is BedrockRuntimeException { ErrorCode: "UnrecognizedClientException" });
        Assert.Contains(exceptions, e => e is HttpRequestException);
        foreach (var exception in exceptions)
        {
            AssertNoSecret(exception.ToString(), $"{exception.GetType().Name}");
        }

        Assert.NotEmpty(logs.Entries);
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Trace);
        foreach (var entry in logs.Entries)
        {
            AssertNoSecret(entry.ToString(), $"log entry {entry.EventId}");
        }
    }
}
