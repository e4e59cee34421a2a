using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Strands.Telemetry;

/// <summary>
/// Enumerates a sequence inside a span. The span starts when enumeration starts (not when the sequence is made, so
/// that it neither starts early nor becomes the caller's current activity too soon), is made current again before each
/// step (async iterators lose <see cref="Activity.Current"/> between two <c>MoveNextAsync</c> calls), and is ended
/// once, with the exception that ended the sequence if any.
/// </summary>
internal static class SpanObservation
{
    /// <summary>Observes <paramref name="source"/> inside the span <paramref name="start"/> starts.</summary>
    /// <param name="source">The sequence.</param>
    /// <param name="start">Starts the span; may return null (nobody records it).</param>
    /// <param name="onItem">Sees each item before it is yielded.</param>
    /// <param name="onEnd">Finishes the span's tags and metrics: the span, and the exception that ended the sequence or null.</param>
    /// <param name="cancellationToken">Passed to the source's enumerator.</param>
    public static async IAsyncEnumerable<T> ObserveAsync<T>(
        IAsyncEnumerable<T> source,
        Func<Activity?> start,
        Action<T> onItem,
        Action<Activity?, Exception?> onEnd,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var activity = start();
        Exception? error = null;
        var items = source.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (activity is not null)
                    {
                        Activity.Current = activity;
                    }

                    if (!await items.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    error = ex;
                    throw;
                }

                onItem(items.Current);
                yield return items.Current;
            }
        }
        finally
        {
            if (activity is not null)
            {
                Activity.Current = activity;
            }

            await items.DisposeAsync().ConfigureAwait(false);
            onEnd(activity, error);
        }
    }
}
