using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strands.Tests.TestUtilities;

/// <summary>
/// Reads the golden wire fixtures (recorded Bedrock requests, responses, event streams and errors) that the build copies
/// beside the test assembly under <c>TestData/wire</c>. The one place tests open those files.
/// </summary>
public static class WireFixtures
{
    /// <summary>The full path of a fixture file.</summary>
    /// <param name="name">The file name, e.g. <c>converse-stream.bin</c>.</param>
    /// <returns>The path.</returns>
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "wire", name);

    /// <summary>The bytes of a fixture, e.g. a recorded event stream.</summary>
    /// <param name="name">The file name.</param>
    /// <returns>A fresh copy the caller may change.</returns>
    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>A JSON fixture as a mutable tree, for comparing documents.</summary>
    /// <param name="name">The file name.</param>
    /// <returns>The root node.</returns>
    public static JsonNode Json(string name) => JsonNode.Parse(Bytes(name))!;

    /// <summary>A JSON fixture as a read-only document, for reading values with their raw text.</summary>
    /// <param name="name">The file name.</param>
    /// <returns>The document; dispose it.</returns>
    public static JsonDocument Document(string name) => JsonDocument.Parse(Bytes(name));

    /// <summary>Turns the JS SDK's input shape (<c>{"$bytesBase64": …}</c> for blobs) into the wire JSON shape.</summary>
    /// <param name="node">A fixture's <c>sdkInput</c> (or any part of it).</param>
    /// <returns>A copy in the wire shape.</returns>
    public static JsonNode? SdkToWire(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 1 && obj["$bytesBase64"] is JsonValue b64:
                return JsonValue.Create(b64.GetValue<string>());
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = SdkToWire(value);
                }

                return copy;
            case JsonArray array:
                var list = new JsonArray();
                foreach (var item in array)
                {
                    list.Add(SdkToWire(item));
                }

                return list;
            default:
                return node?.DeepClone();
        }
    }
}
