using Strands.Mcp;

namespace Strands.Tests.Mcp;

/// <summary>
/// The lease counting under <see cref="McpToolProvider"/> (Strands' tool provider consumers), as a property over
/// seeded random schedules of concurrent acquisitions, cancellations, failed starts, double releases and disposal.
/// </summary>
public sealed class RefCountedResourceTests
{
    /// <summary>Schedules per run; STRANDS_PROPERTY_SCHEDULES sets more for a long run.</summary>
    private static readonly int Schedules = int.TryParse(Environment.GetEnvironmentVariable("STRANDS_PROPERTY_SCHEDULES"), out var n) ? n : 10_000;

    [Fact]
    public async Task Random_schedules_keep_one_resource_at_most_stopped_only_when_unleased_and_stopped_at_the_end()
    {
        for (var seed = 0; seed < Schedules; seed++)
        {
            try
            {
                await new Schedule(seed).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"Schedule with seed {seed} failed (rerun it with that seed): {ex}");
            }
        }
    }

    [Fact]
    public async Task A_release_is_counted_once_however_often_it_is_called()
    {
        var stops = 0;
        var resource = new RefCountedResource<object>(_ => Task.FromResult(new object()), _ => { stops++; return default; });
        var (_, releaseA) = await resource.AcquireAsync(CancellationToken.None);
        var (_, releaseB) = await resource.AcquireAsync(CancellationToken.None);

        await releaseA();
        await releaseA();
        Assert.Equal(1, resource.LeaseCount);
        Assert.Equal(0, stops);

        await releaseB();
        Assert.Equal(1, stops);
        Assert.False(resource.IsRunning);
    }

    [Fact]
    public async Task A_failed_start_holds_no_lease_and_the_next_acquisition_starts_again()
    {
        var attempts = 0;
        var resource = new RefCountedResource<object>(
            _ => ++attempts == 1 ? throw new InvalidOperationException("first start fails") : Task.FromResult(new object()),
            _ => default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => resource.AcquireAsync(CancellationToken.None));
        Assert.Equal(0, resource.LeaseCount);
        await resource.AcquireAsync(CancellationToken.None);
        Assert.Equal(2, attempts);
        Assert.Equal(1, resource.LeaseCount);
    }

    /// <summary>One schedule: 1–4 workers, each doing 1–8 random steps concurrently, maybe one disposal.</summary>
    private sealed class Schedule(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly Lock _lock = new();
        private int _running;
        private int _starts;
        private int _stops;
        private volatile bool _disposing;

        public async Task RunAsync()
        {
            var resource = new RefCountedResource<Resource>(StartAsync, StopAsync);
            var workers = Next(1, 5);
            var disposer = Next(0, 3) == 0 ? Next(0, workers) : -1;
            var plans = Enumerable.Range(0, workers).Select(w => (Steps: Next(1, 9), Seed: Next(0, int.MaxValue), Disposes: w == disposer)).ToList();
            await Task.WhenAll(plans.Select(plan => Task.Run(() => WorkAsync(resource, plan.Steps, new Random(plan.Seed), plan.Disposes))));

            Assert.False(resource.IsRunning);
            Assert.Equal(0, resource.LeaseCount);
            Assert.Equal(0, _running);
            Assert.Equal(_starts, _stops);
            if (_disposing)
            {
                await Assert.ThrowsAsync<ObjectDisposedException>(() => resource.AcquireAsync(CancellationToken.None));
            }
        }

        private async Task WorkAsync(RefCountedResource<Resource> resource, int steps, Random random, bool disposes)
        {
            var held = new List<(Resource Resource, Func<ValueTask> Release)>();
            var disposeAt = disposes ? random.Next(0, steps) : -1;
            for (var step = 0; step < steps; step++)
            {
                if (step == disposeAt)
                {
                    _disposing = true;
                    await resource.DisposeAsync();
                    continue;
                }

                switch (random.Next(0, 4))
                {
                    case 0 or 1:
                        using (var cts = new CancellationTokenSource())
                        {
                            if (random.Next(0, 4) == 0)
                            {
                                cts.CancelAfter(TimeSpan.FromTicks(random.Next(0, 2_000)));
                            }

                            try
                            {
                                var (acquired, release) = await resource.AcquireAsync(cts.Token);
                                Interlocked.Increment(ref acquired.Held);
                                Assert.True(!acquired.Stopped || _disposing, "A lease was handed out on a stopped resource.");
                                held.Add((acquired, release));
                            }
                            catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException || (ex is ObjectDisposedException && _disposing))
                            {
                                // Cancelled, a scripted start failure, or acquired after the disposal: no lease.
                            }
                        }

                        break;
                    case 2 when held.Count > 0:
                        var index = random.Next(0, held.Count);
                        var (resourceHeld, releaseHeld) = held[index];
                        held.RemoveAt(index);
                        Assert.True(!resourceHeld.Stopped || _disposing, "A held resource was stopped.");
                        Interlocked.Decrement(ref resourceHeld.Held);
                        await releaseHeld();
                        if (random.Next(0, 2) == 0)
                        {
                            await releaseHeld(); // Twice: must change nothing.
                        }

                        break;
                    default:
                        await Task.Yield();
                        break;
                }
            }

            foreach (var (resourceHeld, releaseHeld) in held)
            {
                Interlocked.Decrement(ref resourceHeld.Held);
                await releaseHeld();
            }
        }

        private async Task<Resource> StartAsync(CancellationToken cancellationToken)
        {
            int choice;
            lock (_lock)
            {
                Assert.Equal(0, _running);
                choice = _random.Next(0, 10);
            }

            if (choice < 3)
            {
                await Task.Yield();
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (choice == 9)
            {
                throw new InvalidOperationException("scripted start failure");
            }

            lock (_lock)
            {
                Assert.Equal(0, _running);
                _running++;
                _starts++;
                return new Resource();
            }
        }

        private async ValueTask StopAsync(Resource resource)
        {
            lock (_lock)
            {
                Assert.False(resource.Stopped, "A resource was stopped twice.");
                Assert.True(Volatile.Read(ref resource.Held) == 0 || _disposing, "A resource was stopped while leased.");
                resource.Stopped = true;
                _running--;
                _stops++;
            }

            await Task.Yield();
        }

        private int Next(int min, int max)
        {
            lock (_lock)
            {
                return _random.Next(min, max);
            }
        }
    }

    private sealed class Resource
    {
        public int Held;

        public volatile bool Stopped;
    }
}
