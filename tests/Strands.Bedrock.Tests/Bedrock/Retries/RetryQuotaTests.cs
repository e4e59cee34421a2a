using System.Net;
using Strands.Bedrock;
using Strands.Content;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Bedrock.Retries;

/// <summary>
/// AWS standard mode's retry quota, per client: 500 tokens, 5 per retry, 10 per retry after a timeout, paid back by
/// successes (the last retry's cost, or 1), so a client stops retrying into an outage.
/// </summary>
public sealed class RetryQuotaTests
{
    [Fact]
    public void Acquiring_and_releasing_stays_within_the_capacity()
    {
        var quota = new RetryQuota();

        Assert.Equal(500, quota.Available);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(quota.TryAcquire(RetryQuota.RetryCost));
        }

        Assert.False(quota.TryAcquire(RetryQuota.RetryCost));
        Assert.Equal(0, quota.Available);
        quota.Release(RetryQuota.TimeoutRetryCost);
        Assert.Equal(10, quota.Available);
        Assert.False(quota.TryAcquire(11));
        quota.Release(10_000);
        Assert.Equal(500, quota.Available);
    }

    public static TheoryData<Exception?, int> Costs => new()
    {
        { null, 5 },
        { new HttpRequestException("reset"), 5 },
        { new IOException("broken pipe"), 5 },
        { new ConnectTimeoutException("connect", TimeSpan.FromSeconds(1)), 10 },
        { new ReadTimeoutException("read", TimeSpan.FromSeconds(1)), 10 },
        { new TaskCanceledException("HttpClient.Timeout", new TimeoutException()), 10 },
    };

    [Theory]
    [MemberData(nameof(Costs))]
    public void A_retry_after_a_timeout_costs_ten_tokens_and_any_other_five(Exception? transportError, int cost)
    {
        var policy = new BedrockRetryPolicy(3, TimeProvider.System);

        Assert.True(policy.TryAcquireRetry(transportError, out var charged));

        Assert.Equal(cost, charged);
        Assert.Equal(500 - cost, policy.Quota.Available);
    }

    private static (BedrockRuntimeClient Client, ScriptedHttpHandler Transport) Client(RecordingLoggerFactory? logs = null)
    {
        var transport = new ScriptedHttpHandler();
        var client = new BedrockRuntimeClient(new BedrockClientOptions
        {
            Region = "us-west-2",
            EndpointUrl = new Uri("http://127.0.0.1:1"),
            BearerToken = "tok",
            HttpHandler = transport,
            MaxAttempts = 3,
            TimeProvider = new AutoAdvancingTimeProvider(),
            LoggerFactory = logs,
        });
        return (client, transport);
    }

    private static Task<ConverseResponse> Call(BedrockRuntimeClient client) => client.ConverseAsync(new ConverseRequest { ModelId = "m", Messages = [Message.User("hi")] });

    private static readonly string Ok = WireFixtures.Json("converse-response.json")["served"]!["body"]!.ToJsonString();

    [Fact]
    public async Task An_outage_drains_the_quota_and_then_calls_fail_at_once_instead_of_retrying()
    {
        var logs = new RecordingLoggerFactory();
        var (client, transport) = Client(logs);
        using (client)
        {
            // Each failed call retries twice (10 tokens): 50 calls drain the 500 tokens.
            for (var call = 0; call < 50; call++)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    transport.Enqueue(HttpStatusCode.ServiceUnavailable, """{"message":"down"}""");
                }

                await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => Call(client));
            }

            Assert.Equal(150, transport.Requests.Count);
            transport.Enqueue(HttpStatusCode.ServiceUnavailable, """{"message":"down"}""");
            var error = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => Call(client));

            Assert.Equal(151, transport.Requests.Count);
            Assert.Equal(1, error.Attempts);
            Assert.Contains(logs.Entries, e => e.Message.Contains("retry quota is exhausted", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Successes_refill_the_quota_the_last_retry_cost_or_one_token()
    {
        var (client, transport) = Client();
        using (client)
        {
            transport.Enqueue(HttpStatusCode.TooManyRequests, """{"message":"slow"}""", ("x-amzn-ErrorType", "ThrottlingException"));
            transport.Enqueue(HttpStatusCode.TooManyRequests, """{"message":"slow"}""", ("x-amzn-ErrorType", "ThrottlingException"));
            transport.Enqueue(HttpStatusCode.OK, Ok);
            await Call(client);

            // Two retries took 10 tokens; the success paid back the last retry's 5.
            var quota = GetQuota(client);
            Assert.Equal(495, quota.Available);

            transport.Enqueue(HttpStatusCode.OK, Ok);
            await Call(client);
            Assert.Equal(496, quota.Available);
        }
    }

    [Fact]
    public async Task Each_client_has_its_own_quota()
    {
        var (drained, drainedTransport) = Client();
        var (fresh, freshTransport) = Client();
        using (drained)
        using (fresh)
        {
            for (var call = 0; call < 50; call++)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    drainedTransport.Enqueue(HttpStatusCode.InternalServerError, """{"message":"boom"}""");
                }

                await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => Call(drained));
            }

            freshTransport.Enqueue(HttpStatusCode.InternalServerError, """{"message":"boom"}""").Enqueue(HttpStatusCode.OK, Ok);
            await Call(fresh);

            Assert.Equal(0, GetQuota(drained).Available);
            Assert.Equal(2, freshTransport.Requests.Count);
        }
    }

    private static RetryQuota GetQuota(BedrockRuntimeClient client) => client.RetryPolicy.Quota;
}
