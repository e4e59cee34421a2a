using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>The format of an image. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<ImageFormat>))]
public readonly record struct ImageFormat(string Value) : IStringBacked<ImageFormat>
{
    /// <summary>The value <c>png</c>.</summary>
    public static ImageFormat Png { get; } = new("png");

    /// <summary>The value <c>jpeg</c>.</summary>
    public static ImageFormat Jpeg { get; } = new("jpeg");

    /// <summary>The value <c>gif</c>.</summary>
    public static ImageFormat Gif { get; } = new("gif");

    /// <summary>The value <c>webp</c>.</summary>
    public static ImageFormat Webp { get; } = new("webp");

    /// <inheritdoc />
    public static ImageFormat FromWire(string value) => value switch
    {
        "png" => Png, "jpeg" => Jpeg, "gif" => Gif, "webp" => Webp,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
