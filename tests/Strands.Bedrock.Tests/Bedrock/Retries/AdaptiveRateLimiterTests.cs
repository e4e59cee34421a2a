using System.Net;
using Microsoft.Extensions.Time.Testing;
using Strands.Bedrock;
using Strands.Content;
using Strands.Tests.TestUtilities;
using Xunit.Abstractions;

namespace Strands.Tests.Bedrock.Retries;

/// <summary>
/// AWS adaptive retry mode's client-side rate limiter: inactive until throttled, then a token bucket whose rate follows
/// CUBIC (70 % after a throttle, back to the old rate after k = ∛(W_max × 0.3 / 0.4) seconds), all on the fake clock.
/// </summary>
public sealed class AdaptiveRateLimiterTests(ITestOutputHelper output)
{
    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Records <paramref name="count"/> successful responses, <paramref name="every"/> apart.</summary>
    private static void Send(AdaptiveRateLimiter limiter, FakeTimeProvider clock, int count, TimeSpan every)
    {
        for (var i = 0; i < count; i++)
        {
            clock.Advance(every);
            limiter.RecordResponse(throttled: false);
        }
    }

    [Fact]
    public async Task Sending_is_not_limited_before_the_first_throttle()
    {
        var clock = Clock();
        var limiter = new AdaptiveRateLimiter(clock);

        for (var i = 0; i < 1000; i++)
        {
            var wait = limiter.AcquireAsync(CancellationToken.None);
            Assert.True(wait.IsCompletedSuccessfully);
            Assert.Equal(TimeSpan.Zero, await wait);
            limiter.RecordResponse(throttled: false);
        }

        Assert.False(limiter.Enabled);
    }

    [Fact]
    public void A_throttle_cuts_the_allowed_rate_to_70_percent_of_the_measured_send_rate()
    {
        var clock = Clock();
        var limiter = new AdaptiveRateLimiter(clock);
        Send(limiter, clock, 50, TimeSpan.FromMilliseconds(100)); // 10 requests/s for 5 s
        var measured = limiter.MeasuredRate;
        Assert.InRange(measured, 9.9, 10.1);

        clock.Advance(TimeSpan.FromMilliseconds(50)); // mid-bucket: the throttle does not move the measurement
        limiter.RecordResponse(throttled: true);

        Assert.True(limiter.Enabled);
        Assert.Equal(measured * AdaptiveRateLimiter.Beta, limiter.FillRate, 9);
    }

    [Fact]
    public void After_a_throttle_the_rate_grows_back_along_the_cubic_curve_to_the_old_rate_in_k_seconds()
    {
        var clock = Clock();
        var limiter = new AdaptiveRateLimiter(clock);
        Send(limiter, clock, 50, TimeSpan.FromMilliseconds(100));
        clock.Advance(TimeSpan.FromMilliseconds(50));
        var wMax = limiter.MeasuredRate;
        limiter.RecordResponse(throttled: true);
        var k = Math.Cbrt(wMax * (1 - AdaptiveRateLimiter.Beta) / AdaptiveRateLimiter.ScaleConstant);

        var rates = new List<(double Seconds, double Rate)>();
        for (var t = 0.1; t < k + 1; t += 0.1)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            limiter.RecordResponse(throttled: false);
            rates.Add((t, limiter.FillRate));
        }

        // Never falling, concave before k and back at W_max around k.
        Assert.All(rates.Zip(rates.Skip(1)), pair => Assert.True(pair.Second.Rate >= pair.First.Rate - 1e-9, $"{pair.First} then {pair.Second}"));
        var atK = rates.MinBy(r => Math.Abs(r.Seconds - k));
        Assert.InRange(atK.Rate, wMax * 0.97, wMax * 1.03);
        var half = rates.MinBy(r => Math.Abs(r.Seconds - (k / 2)));
        var expectedHalf = (AdaptiveRateLimiter.ScaleConstant * Math.Pow(half.Seconds - k, 3)) + wMax;
        Assert.Equal(expectedHalf, half.Rate, 6);
    }

    [Fact]
    public async Task While_limited_an_attempt_waits_on_the_clock_for_its_token()
    {
        var clock = Clock();
        var limiter = new AdaptiveRateLimiter(clock);
        limiter.RecordResponse(throttled: true); // nothing measured yet: the lowest rate, 0.5 requests/s
        Assert.Equal(AdaptiveRateLimiter.MinFillRate, limiter.FillRate);

        var first = limiter.AcquireAsync(CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Delay(20);
        Assert.False(first.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(TimeSpan.FromSeconds(2), await first.WaitAsync(TimeSpan.FromSeconds(10)));

        using var cancel = new CancellationTokenSource();
        var second = limiter.AcquireAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }

    /// <summary>
    /// Property, over seeded random schedules of responses, throttles and clock steps: the allowed rate never drops
    /// below the floor nor exceeds twice the measured rate, the limiter is active exactly after a throttle, and while
    /// the rate stands still, n tokens are never handed out faster than the bucket refills.
    /// </summary>
    [Fact]
    public async Task Random_schedules_keep_the_rate_invariants()
    {
        const int seed = 0xADA9;
        var random = new Random(seed);
        for (var schedule = 0; schedule < 300; schedule++)
        {
            var clock = Clock();
            var limiter = new AdaptiveRateLimiter(clock);
            var throttled = false;
            for (var step = 0; step < 60; step++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(random.Next(0, 1500)));
                var throttle = random.Next(10) == 0;
                throttled |= throttle;
                limiter.RecordResponse(throttle);

                var where = $"seed {seed}, schedule {schedule}, step {step}";
                Assert.True(limiter.FillRate >= AdaptiveRateLimiter.MinFillRate, where);
                Assert.True(limiter.FillRate <= Math.Max(AdaptiveRateLimiter.MinFillRate, AdaptiveRateLimiter.MaxRateAdjustScale * limiter.MeasuredRate) + 1e-9, $"{where}: {limiter.FillRate} > 2 × {limiter.MeasuredRate}");
                Assert.Equal(throttled, limiter.Enabled);
            }

            if (!limiter.Enabled)
            {
                continue;
            }

            // Drain the bucket, then time n acquisitions at a frozen rate.
            var rate = limiter.FillRate;
            var start = clock.GetUtcNow();
            const int n = 5;
            for (var i = 0; i < n + Math.Max(1, (int)Math.Ceiling(rate)); i++)
            {
                var acquire = limiter.AcquireAsync(CancellationToken.None).AsTask();
                while (!acquire.IsCompleted)
                {
                    clock.Advance(TimeSpan.FromMilliseconds(50));
                    await Task.Yield();
                }

                await acquire;
            }

            var elapsed = (clock.GetUtcNow() - start).TotalSeconds;
            Assert.True(elapsed >= (n - 1) / rate, $"seed {seed}, schedule {schedule}: {n} tokens beyond the bucket in {elapsed:0.###} s at {rate:0.###}/s");
        }

        output.WriteLine($"300 schedules of seed {seed} kept the invariants.");
    }

    [Fact]
    public async Task In_adaptive_mode_the_retry_after_a_429_is_also_held_back_by_the_rate_limiter()
    {
        foreach (var mode in new[] { RetryMode.Standard, RetryMode.Adaptive })
        {
            var clock = new AutoAdvancingTimeProvider();
            var logs = new RecordingLoggerFactory();
            var transport = new ScriptedHttpHandler()
                .Enqueue(HttpStatusCode.TooManyRequests, """{"message":"slow"}""", ("x-amzn-ErrorType", "ThrottlingException"))
                .Enqueue(HttpStatusCode.OK, WireFixtures.Json("converse-response.json")["served"]!["body"]!.ToJsonString());
            using var client = new BedrockRuntimeClient(new BedrockClientOptions
            {
                Region = "us-west-2",
                EndpointUrl = new Uri("http://127.0.0.1:1"),
                BearerToken = "tok",
                HttpHandler = transport,
                RetryMode = mode,
                TimeProvider = clock,
                LoggerFactory = logs,
            });

            await client.ConverseAsync(new ConverseRequest { ModelId = "m", Messages = [Message.User("hi")] });

            Assert.Equal(2, transport.Requests.Count);
            if (mode == RetryMode.Standard)
            {
                Assert.Single(clock.Delays);
                Assert.Null(client.RetryPolicy.RateLimiter);
            }
            else
            {
                // The back-off (at most 500 ms), then the wait for a token at the lowest rate (0.5 requests/s).
                Assert.Equal(2, clock.Delays.Count);
                Assert.True(clock.Delays[1] >= TimeSpan.FromSeconds(1.5), $"held back {clock.Delays[1]}");
                Assert.Contains(logs.Entries, e => e.Message.Contains("Adaptive retry mode held attempt 2 back", StringComparison.Ordinal));
            }
        }
    }
}
