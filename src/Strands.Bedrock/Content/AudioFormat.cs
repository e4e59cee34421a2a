using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>The format of an audio clip. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<AudioFormat>))]
public readonly record struct AudioFormat(string Value) : IStringBacked<AudioFormat>
{
    /// <summary>The value <c>mp3</c>.</summary>
    public static AudioFormat Mp3 { get; } = new("mp3");

    /// <summary>The value <c>opus</c>.</summary>
    public static AudioFormat Opus { get; } = new("opus");

    /// <summary>The value <c>wav</c>.</summary>
    public static AudioFormat Wav { get; } = new("wav");

    /// <summary>The value <c>aac</c>.</summary>
    public static AudioFormat Aac { get; } = new("aac");

    /// <summary>The value <c>flac</c>.</summary>
    public static AudioFormat Flac { get; } = new("flac");

    /// <summary>The value <c>mp4</c>.</summary>
    public static AudioFormat Mp4 { get; } = new("mp4");

    /// <summary>The value <c>ogg</c>.</summary>
    public static AudioFormat Ogg { get; } = new("ogg");

    /// <summary>The value <c>mkv</c>.</summary>
    public static AudioFormat Mkv { get; } = new("mkv");

    /// <summary>The value <c>mka</c>.</summary>
    public static AudioFormat Mka { get; } = new("mka");

    /// <summary>The value <c>x-aac</c>.</summary>
    public static AudioFormat XAac { get; } = new("x-aac");

    /// <summary>The value <c>m4a</c>.</summary>
    public static AudioFormat M4a { get; } = new("m4a");

    /// <summary>The value <c>mpeg</c>.</summary>
    public static AudioFormat Mpeg { get; } = new("mpeg");

    /// <summary>The value <c>mpga</c>.</summary>
    public static AudioFormat Mpga { get; } = new("mpga");

    /// <summary>The value <c>pcm</c>.</summary>
    public static AudioFormat Pcm { get; } = new("pcm");

    /// <summary>The value <c>webm</c>.</summary>
    public static AudioFormat Webm { get; } = new("webm");

    /// <inheritdoc />
    public static AudioFormat FromWire(string value) => value switch
    {
        "mp3" => Mp3, "opus" => Opus, "wav" => Wav, "aac" => Aac, "flac" => Flac, "mp4" => Mp4, "ogg" => Ogg, "mkv" => Mkv, "mka" => Mka, "x-aac" => XAac, "m4a" => M4a, "mpeg" => Mpeg, "mpga" => Mpga, "pcm" => Pcm, "webm" => Webm,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
