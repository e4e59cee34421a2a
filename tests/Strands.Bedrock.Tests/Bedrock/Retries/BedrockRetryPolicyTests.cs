using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Strands.Bedrock;
using Xunit;

namespace Strands.Tests.Bedrock.Retries;

public sealed class BedrockRetryPolicyTests
{
    private static BedrockRetryPolicy Policy(int maxAttempts = 3, int seed = 42) => new(maxAttempts, new FakeTimeProvider(), new Random(seed));

    private static BedrockRuntimeException Http(int status, string code = "SomeCode") => new("m", code, (HttpStatusCode)status, null);

    public static TheoryData<BedrockRuntimeException, bool> Errors => new()
    {
        { new ThrottlingException("m", (HttpStatusCode)429, null), true },
        { new ModelNotReadyException("m", (HttpStatusCode)429, null), true },
        { new ServiceUnavailableException("m", HttpStatusCode.ServiceUnavailable, null), true },
        { new InternalServerException("m", HttpStatusCode.InternalServerError, null), true },
        { Http(429), true },
        { Http(500), true },
        { Http(502), true },
        { Http(503), true },
        { Http(504), true },
        { Http(400, "ThrottlingException"), true },
        { Http(400, "RequestTimeoutException"), true },
        { new ValidationException("m", HttpStatusCode.BadRequest, null), false },
        { new AccessDeniedException("m", HttpStatusCode.Forbidden, null), false },
        { new ResourceNotFoundException("m", HttpStatusCode.NotFound, null), false },
        { new ModelErrorException("m", (HttpStatusCode)424, null, 500, "r"), false },
        { new ModelTimeoutException("m", HttpStatusCode.RequestTimeout, null), false },
        { new ModelStreamErrorException("m", null, null, 400, "x"), false },
        { new ServiceQuotaExceededException("m", HttpStatusCode.BadRequest, null), false },
        { new ConflictException("m", HttpStatusCode.BadRequest, null), false },
        { Http(400), false },
        { Http(401), false },
        { Http(403), false },
        { Http(408), false },
        { Http(501), false },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Service_errors_are_classified_like_AWS_standard_mode(BedrockRuntimeException error, bool retry)
    {
        Assert.Equal(retry, Policy().ShouldRetry(1, error, null));
    }

    public static TheoryData<Exception, bool> TransportErrors => new()
    {
        { new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused), HttpStatusCode.BadGateway), true },
        { new HttpRequestException(HttpRequestError.ConnectionError, "reset"), true },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "dns"), true },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "eof"), true },
        { new HttpRequestException(HttpRequestError.SecureConnectionError, "tls"), false },
        { new HttpRequestException(HttpRequestError.ProxyTunnelError, "proxy"), false },
        { new HttpRequestException(HttpRequestError.UserAuthenticationError, "auth"), false },
        { new IOException("broken pipe"), true },
        { new TimeoutException(), true },
        { new TaskCanceledException("The connection attempt timed out.", new TimeoutException()), true },
        { new TaskCanceledException(), false },
        { new OperationCanceledException(), false },
        { new BedrockCredentialsException(), false },
        { new InvalidOperationException(), false },
        { new ThrottlingException(), true },
    };

    [Theory]
    [MemberData(nameof(TransportErrors))]
    public void Transient_transport_failures_are_retried_and_TLS_proxy_auth_cancellation_and_local_errors_are_not(Exception error, bool retry)
    {
        Assert.Equal(retry, Policy().ShouldRetry(1, null, error));
    }

    [Fact]
    public void Attempts_stop_at_MaxAttempts()
    {
        var policy = Policy(maxAttempts: 3);
        var throttled = new ThrottlingException();

        Assert.True(policy.ShouldRetry(1, throttled, null));
        Assert.True(policy.ShouldRetry(2, throttled, null));
        Assert.False(policy.ShouldRetry(3, throttled, null));
        Assert.False(policy.ShouldRetry(4, throttled, null));
        Assert.False(Policy(maxAttempts: 1).ShouldRetry(1, throttled, null));
        Assert.False(policy.ShouldRetry(1, null, null));
    }

    [Fact]
    public void Caller_cancellation_is_never_retried()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.False(Policy().ShouldRetry(1, new ThrottlingException(), null, cts.Token));
        Assert.False(Policy().ShouldRetry(1, null, new IOException(), cts.Token));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void MaxAttempts_below_one_is_rejected(int maxAttempts)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BedrockRetryPolicy(maxAttempts, TimeProvider.System));

        Assert.Contains("MaxAttempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attempt_numbers_start_at_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Policy().ShouldRetry(0, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => Policy().GetDelay(0));
    }

    [Fact]
    public void Transient_delays_are_full_jitter_under_an_exponential_ceiling()
    {
        var policy = Policy(maxAttempts: 100, seed: 7);
        for (var attempt = 1; attempt <= 40; attempt++)
        {
            var ceiling = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(20).Ticks, TimeSpan.FromMilliseconds(100).Ticks << Math.Min(attempt - 1, 30)));
            for (var i = 0; i < 50; i++)
            {
                var delay = policy.GetDelay(attempt);
                Assert.InRange(delay, TimeSpan.Zero, ceiling);
            }
        }
    }

    [Fact]
    public void Throttling_delays_use_the_500_ms_base()
    {
        var policy = Policy(seed: 3);
        var throttled = new ThrottlingException("m", (HttpStatusCode)429, null);
        var samples = Enumerable.Range(0, 500).Select(_ => policy.GetDelay(1, throttled)).ToList();

        Assert.All(samples, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(500)));
        Assert.Contains(samples, d => d > TimeSpan.FromMilliseconds(100));
        Assert.All(Enumerable.Range(0, 200).Select(_ => policy.GetDelay(2, throttled)), d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.All(Enumerable.Range(0, 200).Select(_ => policy.GetDelay(1, new InternalServerException())), d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void Jitter_spreads_and_the_cap_is_reached_for_late_attempts()
    {
        var policy = Policy(seed: 11);
        var late = Enumerable.Range(0, 1000).Select(_ => policy.GetDelay(30)).ToList();

        Assert.All(late, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(20)));
        Assert.Contains(late, d => d > TimeSpan.FromSeconds(19));
        Assert.Contains(late, d => d < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Same_seed_gives_the_same_delays()
    {
        var a = Policy(seed: 5);
        var b = Policy(seed: 5);

        Assert.Equal(Enumerable.Range(1, 5).Select(i => a.GetDelay(i)), Enumerable.Range(1, 5).Select(i => b.GetDelay(i)));
    }

    [Fact]
    public void Server_retry_hint_lengthens_the_delay_but_is_capped()
    {
        var policy = Policy();
        var hinted = new ThrottlingException("m", (HttpStatusCode)429, null) { RetryAfter = TimeSpan.FromSeconds(3) };
        var huge = new ThrottlingException("m", (HttpStatusCode)429, null) { RetryAfter = TimeSpan.FromHours(1) };
        var tiny = new ThrottlingException("m", (HttpStatusCode)429, null) { RetryAfter = TimeSpan.Zero };

        Assert.Equal(TimeSpan.FromSeconds(3), policy.GetDelay(1, hinted));
        Assert.Equal(BedrockRetryPolicy.MaxRetryAfter, policy.GetDelay(1, huge));
        Assert.InRange(policy.GetDelay(1, tiny), TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task DelayAsync_waits_on_the_fake_clock()
    {
        var time = new FakeTimeProvider();
        var policy = new BedrockRetryPolicy(3, time, new Random(1));

        var delay = policy.DelayAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.False(delay.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(delay.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(policy.DelayAsync(TimeSpan.Zero, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task DelayAsync_is_cancelled_by_the_caller()
    {
        var time = new FakeTimeProvider();
        var policy = new BedrockRetryPolicy(3, time);
        using var cts = new CancellationTokenSource();

        var delay = policy.DelayAsync(TimeSpan.FromSeconds(10), cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delay);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => policy.DelayAsync(TimeSpan.Zero, cts.Token));
    }

    [Fact]
    public async Task Concurrent_callers_share_one_seeded_random_safely()
    {
        var policy = Policy(maxAttempts: 10, seed: 9);

        var delays = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 1000).Select(i => policy.GetDelay((i % 5) + 1)).ToList())));

        Assert.All(delays.SelectMany(d => d), d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(1600)));
        Assert.True(delays.SelectMany(d => d).Distinct().Count() > 100);
    }
}
