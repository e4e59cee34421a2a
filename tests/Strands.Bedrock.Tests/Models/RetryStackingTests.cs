using Microsoft.Extensions.Logging;
using Strands.Agents;
using Strands.Bedrock;
using Strands.Bedrock.Testing;
using Strands.Models;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Models;

/// <summary>
/// The client's retries stack under the agent's: a throttling error that never ends costs
/// ModelRetryStrategy.MaxAttempts × BedrockClientOptions.MaxAttempts requests (6 × 3 = 18 by default) and about
/// 130 s of waiting, and the logs say so as it happens.
/// </summary>
public sealed class RetryStackingTests
{
    [Fact]
    public async Task A_persistent_429_costs_6_times_3_requests_and_the_logs_count_them()
    {
        var clock = new AutoAdvancingTimeProvider();
        var logs = new RecordingLoggerFactory();
        await using var server = await FakeBedrockServer.StartAsync();
        server.RespondWith(_ => FakeResponse.Error("ThrottlingException", 429, "Too many requests, please wait before trying again."));
        using var model = new BedrockModel(new BedrockModelConfig(), server.CreateClientOptions() with { TimeProvider = clock, LoggerFactory = logs });
        var agent = new Agent(model, new AgentOptions
        {
            CallbackHandler = null,
            RetryStrategy = new ModelRetryStrategy(timeProvider: clock, loggerFactory: logs),
            TimeProvider = clock,
        });

        var error = await Assert.ThrowsAsync<ModelThrottledException>(() => agent.InvokeAsync("Hello"));

        Assert.Equal(18, server.Requests.Count);
        Assert.Equal(3, Assert.IsAssignableFrom<BedrockRuntimeException>(error.InnerException).Attempts);

        // The agent waited 4 + 8 + 16 + 32 + 64 s; the client's own back-off is at most 0.5 + 1 s per call.
        var waited = TimeSpan.FromTicks(clock.Delays.Sum(d => d.Ticks));
        Assert.InRange(waited, TimeSpan.FromSeconds(124), TimeSpan.FromSeconds(124 + (6 * 1.5)));

        var strategy = logs.Entries.Where(e => e.Category == typeof(ModelRetryStrategy).FullName).Select(e => e.Message).ToList();
        Assert.Equal(6, strategy.Count);
        Assert.StartsWith("Model call 1 of at most 6 was throttled (3 requests to the model so far", strategy[0], StringComparison.Ordinal);
        Assert.StartsWith("Model call 5 of at most 6 was throttled (15 requests", strategy[4], StringComparison.Ordinal);
        Assert.Equal("Model call still throttled after 6 calls and 18 requests to the model in all; giving up", strategy[5]);
        Assert.Equal(6, logs.Entries.Count(e => e.Category == typeof(BedrockRuntimeClient).FullName && e.Level == LogLevel.Warning && e.Message.Contains("failed after 3 of at most 3 attempts", StringComparison.Ordinal)));
    }
}
