using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>The latency profile of a request. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<PerformanceConfigLatency>))]
public readonly record struct PerformanceConfigLatency(string Value) : IStringBacked<PerformanceConfigLatency>
{
    /// <summary>The value <c>standard</c>.</summary>
    public static PerformanceConfigLatency Standard { get; } = new("standard");

    /// <summary>The value <c>optimized</c>.</summary>
    public static PerformanceConfigLatency Optimized { get; } = new("optimized");

    /// <inheritdoc />
    public static PerformanceConfigLatency FromWire(string value) => value switch
    {
        "standard" => Standard, "optimized" => Optimized,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
