using System.Buffers;
using System.Text.Json;

namespace Strands.Sessions.Json;

/// <summary>JSON elements for scalar values, made without reflection or type metadata.</summary>
internal static class JsonScalars
{
    /// <summary>The JSON <c>null</c>.</summary>
    public static JsonElement Null { get; } = Make(w => w.WriteNullValue());

    /// <summary>A JSON string.</summary>
    public static JsonElement String(string value) => Make(w => w.WriteStringValue(value));

    /// <summary>A JSON integer.</summary>
    public static JsonElement Int(long value) => Make(w => w.WriteNumberValue(value));

    private static JsonElement Make(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
