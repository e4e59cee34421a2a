using System.Text.Json.Serialization;
using Strands.Content;

namespace Strands.Sessions;

/// <summary>What a session holds. Values other SDKs add later parse too.</summary>
/// <param name="Value">The value as it is stored.</param>
[JsonConverter(typeof(StringBackedJsonConverter<SessionType>))]
public readonly record struct SessionType(string Value) : IStringBacked<SessionType>
{
    /// <summary>The value <c>AGENT</c>: a session of one or more agents.</summary>
    public static SessionType Agent { get; } = new("AGENT");

    /// <inheritdoc />
    public static SessionType FromWire(string value) => value == "AGENT" ? Agent : new(value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
