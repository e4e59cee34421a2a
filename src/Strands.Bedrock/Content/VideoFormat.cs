using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>The format of a video. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<VideoFormat>))]
public readonly record struct VideoFormat(string Value) : IStringBacked<VideoFormat>
{
    /// <summary>The value <c>mkv</c>.</summary>
    public static VideoFormat Mkv { get; } = new("mkv");

    /// <summary>The value <c>mov</c>.</summary>
    public static VideoFormat Mov { get; } = new("mov");

    /// <summary>The value <c>mp4</c>.</summary>
    public static VideoFormat Mp4 { get; } = new("mp4");

    /// <summary>The value <c>webm</c>.</summary>
    public static VideoFormat Webm { get; } = new("webm");

    /// <summary>The value <c>flv</c>.</summary>
    public static VideoFormat Flv { get; } = new("flv");

    /// <summary>The value <c>mpeg</c>.</summary>
    public static VideoFormat Mpeg { get; } = new("mpeg");

    /// <summary>The value <c>mpg</c>.</summary>
    public static VideoFormat Mpg { get; } = new("mpg");

    /// <summary>The value <c>wmv</c>.</summary>
    public static VideoFormat Wmv { get; } = new("wmv");

    /// <summary>The value <c>three_gp</c>.</summary>
    public static VideoFormat ThreeGp { get; } = new("three_gp");

    /// <inheritdoc />
    public static VideoFormat FromWire(string value) => value switch
    {
        "mkv" => Mkv, "mov" => Mov, "mp4" => Mp4, "webm" => Webm, "flv" => Flv, "mpeg" => Mpeg, "mpg" => Mpg, "wmv" => Wmv, "three_gp" => ThreeGp,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
