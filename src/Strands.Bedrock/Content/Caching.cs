namespace Strands.Content;

/// <summary>A prompt-cache checkpoint: the service may cache everything before it.</summary>
public sealed record CachePointBlock
{
    /// <summary>The kind of cache point (<c>default</c>).</summary>
    public CachePointType Type { get; init; } = CachePointType.Default;

    /// <summary>How long the cache entry lives (<c>5m</c> or <c>1h</c>); the service default when unset.</summary>
    public CacheTtl? Ttl { get; init; }
}
