using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>How long a cache point lives. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<CacheTtl>))]
public readonly record struct CacheTtl(string Value) : IStringBacked<CacheTtl>
{
    /// <summary>The value <c>5m</c>.</summary>
    public static CacheTtl FiveMinutes { get; } = new("5m");

    /// <summary>The value <c>1h</c>.</summary>
    public static CacheTtl OneHour { get; } = new("1h");

    /// <inheritdoc />
    public static CacheTtl FromWire(string value) => value switch
    {
        "5m" => FiveMinutes, "1h" => OneHour,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
