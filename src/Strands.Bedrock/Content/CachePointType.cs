using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>The kind of a cache point. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<CachePointType>))]
public readonly record struct CachePointType(string Value) : IStringBacked<CachePointType>
{
    /// <summary>The value <c>default</c>.</summary>
    public static CachePointType Default { get; } = new("default");

    /// <inheritdoc />
    public static CachePointType FromWire(string value) => value switch
    {
        "default" => Default,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
