using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>The format of a guarded image. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<GuardrailConverseImageFormat>))]
public readonly record struct GuardrailConverseImageFormat(string Value) : IStringBacked<GuardrailConverseImageFormat>
{
    /// <summary>The value <c>png</c>.</summary>
    public static GuardrailConverseImageFormat Png { get; } = new("png");

    /// <summary>The value <c>jpeg</c>.</summary>
    public static GuardrailConverseImageFormat Jpeg { get; } = new("jpeg");

    /// <inheritdoc />
    public static GuardrailConverseImageFormat FromWire(string value) => value switch
    {
        "png" => Png, "jpeg" => Jpeg,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
