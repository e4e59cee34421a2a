using Strands.Content;

namespace Strands.ChatClients;

/// <summary>Maps Converse media formats to IANA media types and back.</summary>
internal static class MediaTypes
{
    private static readonly (DocumentFormat Format, string MediaType)[] Documents =
    [
        (DocumentFormat.Pdf, "application/pdf"),
        (DocumentFormat.Csv, "text/csv"),
        (DocumentFormat.Doc, "application/msword"),
        (DocumentFormat.Docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (DocumentFormat.Xls, "application/vnd.ms-excel"),
        (DocumentFormat.Xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (DocumentFormat.Html, "text/html"),
        (DocumentFormat.Txt, "text/plain"),
        (DocumentFormat.Md, "text/markdown"),
    ];

    private static readonly (VideoFormat Format, string MediaType)[] Videos =
    [
        (VideoFormat.Mp4, "video/mp4"),
        (VideoFormat.Mov, "video/quicktime"),
        (VideoFormat.Mkv, "video/x-matroska"),
        (VideoFormat.Webm, "video/webm"),
        (VideoFormat.Flv, "video/x-flv"),
        (VideoFormat.Mpeg, "video/mpeg"),
        (VideoFormat.Mpg, "video/mpg"),
        (VideoFormat.Wmv, "video/x-ms-wmv"),
        (VideoFormat.ThreeGp, "video/3gpp"),
    ];

    private static readonly (AudioFormat Format, string MediaType)[] Audios =
    [
        (AudioFormat.Mp3, "audio/mpeg"),
        (AudioFormat.Wav, "audio/wav"),
        (AudioFormat.Ogg, "audio/ogg"),
        (AudioFormat.Opus, "audio/opus"),
        (AudioFormat.Flac, "audio/flac"),
        (AudioFormat.Aac, "audio/aac"),
        (AudioFormat.Webm, "audio/webm"),
        (AudioFormat.M4a, "audio/mp4"),
    ];

    public static string ForImage(ImageFormat format) => "image/" + format.Value;

    public static string ForDocument(DocumentFormat? format)
    {
        foreach (var (f, mediaType) in Documents)
        {
            if (f == format)
            {
                return mediaType;
            }
        }

        return format is { } other ? "application/" + other.Value : "text/plain";
    }

    public static string ForVideo(VideoFormat format)
    {
        foreach (var (f, mediaType) in Videos)
        {
            if (f == format)
            {
                return mediaType;
            }
        }

        return "video/" + format.Value;
    }

    public static string ForAudio(AudioFormat format)
    {
        foreach (var (f, mediaType) in Audios)
        {
            if (f == format)
            {
                return mediaType;
            }
        }

        return "audio/" + format.Value;
    }

    /// <summary>The image format of a media type such as <c>image/png</c>; null when Bedrock has none for it.</summary>
    public static ImageFormat? ImageFormatOf(string mediaType) => Subtype(mediaType, "image/") switch
    {
        "png" => ImageFormat.Png,
        "jpeg" or "jpg" => ImageFormat.Jpeg,
        "gif" => ImageFormat.Gif,
        "webp" => ImageFormat.Webp,
        _ => null,
    };

    /// <summary>The video format of a media type such as <c>video/mp4</c>; null when Bedrock has none for it.</summary>
    public static VideoFormat? VideoFormatOf(string mediaType)
    {
        foreach (var (format, known) in Videos)
        {
            if (string.Equals(Normalize(mediaType), known, StringComparison.Ordinal))
            {
                return format;
            }
        }

        return null;
    }

    /// <summary>The audio format of a media type such as <c>audio/wav</c>; null when Bedrock has none for it.</summary>
    public static AudioFormat? AudioFormatOf(string mediaType)
    {
        var normalized = Normalize(mediaType);
        foreach (var (format, known) in Audios)
        {
            if (string.Equals(normalized, known, StringComparison.Ordinal))
            {
                return format;
            }
        }

        return normalized switch
        {
            "audio/mp3" => AudioFormat.Mp3,
            "audio/x-wav" or "audio/wave" => AudioFormat.Wav,
            _ => null,
        };
    }

    /// <summary>The document format of a media type such as <c>application/pdf</c>; null when Bedrock has none for it.</summary>
    public static DocumentFormat? DocumentFormatOf(string mediaType)
    {
        var normalized = Normalize(mediaType);
        foreach (var (format, known) in Documents)
        {
            if (string.Equals(normalized, known, StringComparison.Ordinal))
            {
                return format;
            }
        }

        return null;
    }

    private static string? Subtype(string mediaType, string prefix)
    {
        var normalized = Normalize(mediaType);
        return normalized.StartsWith(prefix, StringComparison.Ordinal) ? normalized[prefix.Length..] : null;
    }

    /// <summary>The media type in lower case, without parameters such as <c>; charset=utf-8</c>.</summary>
    private static string Normalize(string mediaType)
    {
        var semicolon = mediaType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? mediaType[..semicolon] : mediaType).Trim().ToLowerInvariant();
    }
}
