namespace Strands.Content;

/// <summary>Tokens a model call consumed.</summary>
public sealed record TokenUsage
{
    /// <summary>Input tokens processed (not read from or written to the cache).</summary>
    public int InputTokens { get; init; }

    /// <summary>Output tokens generated.</summary>
    public int OutputTokens { get; init; }

    /// <summary>All tokens of the call.</summary>
    public int TotalTokens { get; init; }

    /// <summary>Input tokens read from the prompt cache.</summary>
    public int? CacheReadInputTokens { get; init; }

    /// <summary>Input tokens written to the prompt cache.</summary>
    public int? CacheWriteInputTokens { get; init; }

    /// <summary>Cache writes by time to live.</summary>
    public IReadOnlyList<CacheDetail>? CacheDetails { get; init; }
}

/// <summary>Tokens written to the cache with one time to live.</summary>
public sealed record CacheDetail
{
    /// <summary>The time to live.</summary>
    public CacheTtl Ttl { get; init; }

    /// <summary>The tokens written.</summary>
    public int InputTokens { get; init; }
}

/// <summary>Timing of a model call.</summary>
public sealed record ConverseMetrics
{
    /// <summary>The service-side latency in milliseconds.</summary>
    public long LatencyMs { get; init; }
}

/// <summary>The latency profile of a request.</summary>
public sealed record PerformanceConfiguration
{
    /// <summary><c>standard</c> or <c>optimized</c>.</summary>
    public PerformanceConfigLatency? Latency { get; init; }
}

/// <summary>The service tier of a request.</summary>
public sealed record ServiceTier
{
    /// <summary>The tier.</summary>
    public ServiceTierType Type { get; init; }
}
