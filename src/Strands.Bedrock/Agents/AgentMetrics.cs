using Strands.Content;

namespace Strands.Agents;

/// <summary>
/// What an agent measured over its life: event-loop cycles and their durations, token usage (with prompt-cache reads
/// and writes), model latency, and per-tool calls, successes, errors and time. Thread-safe; every property returns a
/// snapshot.
/// </summary>
public sealed class AgentMetrics
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _cycleDurations = [];
    private readonly Dictionary<string, ToolMetrics> _tools = new(StringComparer.Ordinal);
    private readonly List<InvocationAccumulator> _invocations = [];
    private TokenUsage _accumulatedUsage = new();
    private long _accumulatedLatencyMs;
    private int _cycleCount;

    /// <summary>The number of event-loop cycles started (one per model call or tool round).</summary>
    public int CycleCount
    {
        get
        {
            lock (_lock)
            {
                return _cycleCount;
            }
        }
    }

    /// <summary>The duration of every finished cycle, in order.</summary>
    public IReadOnlyList<TimeSpan> CycleDurations
    {
        get
        {
            lock (_lock)
            {
                return [.. _cycleDurations];
            }
        }
    }

    /// <summary>The total duration of the finished cycles.</summary>
    public TimeSpan TotalDuration
    {
        get
        {
            lock (_lock)
            {
                var total = TimeSpan.Zero;
                foreach (var duration in _cycleDurations)
                {
                    total += duration;
                }

                return total;
            }
        }
    }

    /// <summary>Per tool name: calls, successes, errors and time.</summary>
    public IReadOnlyDictionary<string, ToolMetrics> ToolMetrics
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, ToolMetrics>(_tools, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The tokens of every model call of every invocation.</summary>
    public TokenUsage AccumulatedUsage
    {
        get
        {
            lock (_lock)
            {
                return _accumulatedUsage;
            }
        }
    }

    /// <summary>The model latency reported by the provider, summed over every call, in milliseconds.</summary>
    public long AccumulatedLatencyMs
    {
        get
        {
            lock (_lock)
            {
                return _accumulatedLatencyMs;
            }
        }
    }

    /// <summary>Every invocation: its cycles and its token usage.</summary>
    public IReadOnlyList<InvocationMetrics> Invocations
    {
        get
        {
            lock (_lock)
            {
                return [.. _invocations.Select(i => i.Snapshot())];
            }
        }
    }

    /// <summary>The latest invocation, or null before the first.</summary>
    public InvocationMetrics? LatestInvocation
    {
        get
        {
            lock (_lock)
            {
                return _invocations.Count == 0 ? null : _invocations[^1].Snapshot();
            }
        }
    }

    /// <summary>The input tokens of the latest model call: how much context the model last saw. Null before the first call.</summary>
    public int? LatestContextSize
    {
        get
        {
            lock (_lock)
            {
                return _invocations.Count == 0 ? null : _invocations[^1].LatestCallUsage?.InputTokens;
            }
        }
    }

    internal void StartInvocation()
    {
        lock (_lock)
        {
            _invocations.Add(new InvocationAccumulator());
        }
    }

    internal string StartCycle()
    {
        var id = Guid.NewGuid().ToString();
        lock (_lock)
        {
            _cycleCount++;
            CurrentInvocation().Cycles.Add(new CycleAccumulator(id));
        }

        return id;
    }

    internal void EndCycle(TimeSpan duration)
    {
        lock (_lock)
        {
            _cycleDurations.Add(duration);
            if (CurrentInvocation().Cycles is { Count: > 0 } cycles)
            {
                cycles[^1].Duration = duration;
            }
        }
    }

    internal void AddModelCall(TokenUsage usage, long latencyMs)
    {
        lock (_lock)
        {
            _accumulatedUsage = Add(_accumulatedUsage, usage);
            _accumulatedLatencyMs += latencyMs;
            var invocation = CurrentInvocation();
            invocation.Usage = Add(invocation.Usage, usage);
            invocation.LatestCallUsage = usage;
            if (invocation.Cycles is { Count: > 0 } cycles)
            {
                cycles[^1].Usage = Add(cycles[^1].Usage, usage);
            }
        }
    }

    internal void AddToolCall(ToolUseBlock toolUse, bool success, TimeSpan duration)
    {
        lock (_lock)
        {
            var current = _tools.GetValueOrDefault(toolUse.Name) ?? new ToolMetrics(toolUse, 0, 0, 0, TimeSpan.Zero);
            _tools[toolUse.Name] = current with
            {
                LastToolUse = toolUse,
                CallCount = current.CallCount + 1,
                SuccessCount = current.SuccessCount + (success ? 1 : 0),
                ErrorCount = current.ErrorCount + (success ? 0 : 1),
                TotalTime = current.TotalTime + duration,
            };
        }
    }

    /// <summary>Adds two usages; cache counts stay null only when both are null.</summary>
    internal static TokenUsage Add(TokenUsage a, TokenUsage b) => new()
    {
        InputTokens = a.InputTokens + b.InputTokens,
        OutputTokens = a.OutputTokens + b.OutputTokens,
        TotalTokens = a.TotalTokens + b.TotalTokens,
        CacheReadInputTokens = a.CacheReadInputTokens is null && b.CacheReadInputTokens is null ? null : (a.CacheReadInputTokens ?? 0) + (b.CacheReadInputTokens ?? 0),
        CacheWriteInputTokens = a.CacheWriteInputTokens is null && b.CacheWriteInputTokens is null ? null : (a.CacheWriteInputTokens ?? 0) + (b.CacheWriteInputTokens ?? 0),
    };

    private InvocationAccumulator CurrentInvocation()
    {
        if (_invocations.Count == 0)
        {
            _invocations.Add(new InvocationAccumulator());
        }

        return _invocations[^1];
    }

    private sealed class InvocationAccumulator
    {
        public List<CycleAccumulator> Cycles { get; } = [];

        public TokenUsage Usage { get; set; } = new();

        public TokenUsage? LatestCallUsage { get; set; }

        public InvocationMetrics Snapshot() => new([.. Cycles.Select(c => new CycleMetrics(c.Id, c.Duration, c.Usage))], Usage);
    }

    private sealed class CycleAccumulator(string id)
    {
        public string Id { get; } = id;

        public TimeSpan Duration { get; set; }

        public TokenUsage Usage { get; set; } = new();
    }
}

/// <summary>The calls of one tool.</summary>
/// <param name="LastToolUse">The latest request for the tool.</param>
/// <param name="CallCount">Calls.</param>
/// <param name="SuccessCount">Calls with a success result.</param>
/// <param name="ErrorCount">Calls with an error result.</param>
/// <param name="TotalTime">Time spent in the tool.</param>
public sealed record ToolMetrics(ToolUseBlock LastToolUse, int CallCount, int SuccessCount, int ErrorCount, TimeSpan TotalTime)
{
    /// <summary>The mean time per call.</summary>
    public TimeSpan AverageTime => CallCount == 0 ? TimeSpan.Zero : TotalTime / CallCount;

    /// <summary>The share of calls that succeeded, from 0 to 1.</summary>
    public double SuccessRate => CallCount == 0 ? 0 : (double)SuccessCount / CallCount;
}

/// <summary>One event-loop cycle.</summary>
/// <param name="CycleId">The cycle's id.</param>
/// <param name="Duration">How long it took (zero while it runs).</param>
/// <param name="Usage">The tokens of its model call.</param>
public sealed record CycleMetrics(string CycleId, TimeSpan Duration, TokenUsage Usage);

/// <summary>One invocation of an agent.</summary>
/// <param name="Cycles">Its cycles, in order.</param>
/// <param name="Usage">The tokens of its model calls.</param>
public sealed record InvocationMetrics(IReadOnlyList<CycleMetrics> Cycles, TokenUsage Usage);
