using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>The format of a document. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<DocumentFormat>))]
public readonly record struct DocumentFormat(string Value) : IStringBacked<DocumentFormat>
{
    /// <summary>The value <c>pdf</c>.</summary>
    public static DocumentFormat Pdf { get; } = new("pdf");

    /// <summary>The value <c>csv</c>.</summary>
    public static DocumentFormat Csv { get; } = new("csv");

    /// <summary>The value <c>doc</c>.</summary>
    public static DocumentFormat Doc { get; } = new("doc");

    /// <summary>The value <c>docx</c>.</summary>
    public static DocumentFormat Docx { get; } = new("docx");

    /// <summary>The value <c>xls</c>.</summary>
    public static DocumentFormat Xls { get; } = new("xls");

    /// <summary>The value <c>xlsx</c>.</summary>
    public static DocumentFormat Xlsx { get; } = new("xlsx");

    /// <summary>The value <c>html</c>.</summary>
    public static DocumentFormat Html { get; } = new("html");

    /// <summary>The value <c>txt</c>.</summary>
    public static DocumentFormat Txt { get; } = new("txt");

    /// <summary>The value <c>md</c>.</summary>
    public static DocumentFormat Md { get; } = new("md");

    /// <inheritdoc />
    public static DocumentFormat FromWire(string value) => value switch
    {
        "pdf" => Pdf, "csv" => Csv, "doc" => Doc, "docx" => Docx, "xls" => Xls, "xlsx" => Xlsx, "html" => Html, "txt" => Txt, "md" => Md,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
