using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>The service tier a request runs on. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<ServiceTierType>))]
public readonly record struct ServiceTierType(string Value) : IStringBacked<ServiceTierType>
{
    /// <summary>The value <c>priority</c>.</summary>
    public static ServiceTierType Priority { get; } = new("priority");

    /// <summary>The value <c>default</c>.</summary>
    public static ServiceTierType Default { get; } = new("default");

    /// <summary>The value <c>flex</c>.</summary>
    public static ServiceTierType Flex { get; } = new("flex");

    /// <summary>The value <c>reserved</c>.</summary>
    public static ServiceTierType Reserved { get; } = new("reserved");

    /// <inheritdoc />
    public static ServiceTierType FromWire(string value) => value switch
    {
        "priority" => Priority, "default" => Default, "flex" => Flex, "reserved" => Reserved,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
