using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Strands.Sessions.Json;

/// <summary>
/// Writes JSON exactly as Python's <c>json.dump(data, f, indent=2, ensure_ascii=False)</c> does, which is how
/// Strands for Python writes session files: two-space indentation, <c>": "</c> between a key and its value, empty
/// containers as <c>{}</c> and <c>[]</c>, no final newline, and only <c>"</c>, <c>\</c> and the control characters
/// U+0000–U+001F escaped (the short forms <c>\b \f \n \r \t</c>, otherwise <c>\u00xx</c> in lower case). Every
/// other character, non-ASCII included, is written as UTF-8. Numbers keep their text, so a file Python wrote is
/// written back byte for byte.
/// </summary>
internal static class PythonJsonWriter
{
    private const int Indent = 2;

    /// <summary>Writes <paramref name="element"/> in Python's format.</summary>
    /// <param name="element">The value.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static byte[] Write(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        WriteValue(buffer, element, 0);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteValue(ArrayBufferWriter<byte> output, JsonElement element, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(output, element, depth);
                break;
            case JsonValueKind.Array:
                WriteArray(output, element, depth);
                break;
            case JsonValueKind.String:
                WriteString(output, element.GetString()!);
                break;
            case JsonValueKind.Number:
                WriteAscii(output, element.GetRawText());
                break;
            case JsonValueKind.True:
                WriteAscii(output, "true");
                break;
            case JsonValueKind.False:
                WriteAscii(output, "false");
                break;
            case JsonValueKind.Null:
                WriteAscii(output, "null");
                break;
            default:
                throw new ArgumentException($"A JSON value of kind {element.ValueKind} cannot be written.", nameof(element));
        }
    }

    private static void WriteObject(ArrayBufferWriter<byte> output, JsonElement element, int depth)
    {
        using var properties = element.EnumerateObject();
        if (!properties.MoveNext())
        {
            WriteAscii(output, "{}");
            return;
        }

        WriteAscii(output, "{");
        var first = true;
        do
        {
            var property = properties.Current;
            WriteAscii(output, first ? "\n" : ",\n");
            first = false;
            WriteIndent(output, depth + 1);
            WriteString(output, property.Name);
            WriteAscii(output, ": ");
            WriteValue(output, property.Value, depth + 1);
        }
        while (properties.MoveNext());

        WriteAscii(output, "\n");
        WriteIndent(output, depth);
        WriteAscii(output, "}");
    }

    private static void WriteArray(ArrayBufferWriter<byte> output, JsonElement element, int depth)
    {
        if (element.GetArrayLength() == 0)
        {
            WriteAscii(output, "[]");
            return;
        }

        WriteAscii(output, "[");
        var first = true;
        foreach (var item in element.EnumerateArray())
        {
            WriteAscii(output, first ? "\n" : ",\n");
            first = false;
            WriteIndent(output, depth + 1);
            WriteValue(output, item, depth + 1);
        }

        WriteAscii(output, "\n");
        WriteIndent(output, depth);
        WriteAscii(output, "]");
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case < ' ':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
        var text = builder.ToString();
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void WriteIndent(ArrayBufferWriter<byte> output, int depth)
    {
        var count = depth * Indent;
        output.GetSpan(count)[..count].Fill((byte)' ');
        output.Advance(count);
    }

    private static void WriteAscii(ArrayBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        output.Advance(text.Length);
    }
}
