namespace Strands.Agents;

/// <summary>
/// How an agent runs the tools the model asked for in one turn. Whatever the executor, the tool results go back to
/// the model in the order of the requests. Use <see cref="Concurrent"/> (the default), <see cref="ConcurrentAtMost"/>
/// or <see cref="Sequential"/>.
/// </summary>
public abstract class ToolExecutor
{
    private protected ToolExecutor()
    {
    }

    /// <summary>Runs every tool at once (the default).</summary>
    public static ToolExecutor Concurrent { get; } = new ConcurrentToolExecutor();

    /// <summary>Runs the tools one after another, in request order.</summary>
    public static ToolExecutor Sequential { get; } = new SequentialToolExecutor();

    /// <summary>Runs the tools concurrently, at most <paramref name="maxConcurrency"/> at a time.</summary>
    /// <param name="maxConcurrency">The most tools running at once; at least 1.</param>
    /// <returns>The executor.</returns>
    public static ToolExecutor ConcurrentAtMost(int maxConcurrency) => new ConcurrentToolExecutor(maxConcurrency);

    /// <summary>Runs <paramref name="count"/> tool calls; <paramref name="runAsync"/> runs call <c>i</c>.</summary>
    internal abstract Task ExecuteAsync(int count, Func<int, CancellationToken, Task> runAsync, CancellationToken cancellationToken);
}

/// <summary>
/// Runs the tools of a turn concurrently, each on the thread pool, optionally at most <see cref="MaxConcurrency"/>
/// at a time. If a tool call fails in a way that ends the invocation (a hook threw), the others are cancelled.
/// </summary>
internal sealed class ConcurrentToolExecutor : ToolExecutor
{
    /// <summary>Creates the executor.</summary>
    /// <param name="maxConcurrency">The most tools running at once; no limit when null.</param>
    public ConcurrentToolExecutor(int? maxConcurrency = null)
    {
        if (maxConcurrency is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxConcurrency));
        }

        MaxConcurrency = maxConcurrency;
    }

    /// <summary>The most tools running at once; no limit when null.</summary>
    public int? MaxConcurrency { get; }

    internal override async Task ExecuteAsync(int count, Func<int, CancellationToken, Task> runAsync, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = MaxConcurrency is { } max && max < count ? new SemaphoreSlim(max) : null;
        var tasks = new Task[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            tasks[i] = Task.Run(
                async () =>
                {
                    if (gate is not null)
                    {
                        await gate.WaitAsync(failed.Token).ConfigureAwait(false);
                    }

                    try
                    {
                        await runAsync(index, failed.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        await failed.CancelAsync().ConfigureAwait(false);
                        throw;
                    }
                    finally
                    {
                        gate?.Release();
                    }
                },
                CancellationToken.None);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }
}

/// <summary>Runs the tools of a turn one after another, in request order.</summary>
internal sealed class SequentialToolExecutor : ToolExecutor
{
    internal override async Task ExecuteAsync(int count, Func<int, CancellationToken, Task> runAsync, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            await runAsync(i, cancellationToken).ConfigureAwait(false);
        }
    }
}
