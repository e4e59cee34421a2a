using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strands.Tests.TestUtilities;

/// <summary>Reads the golden wire fixtures copied under TestData/wire.</summary>
public static class Fixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "wire", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static JsonNode Json(string name) => JsonNode.Parse(File.ReadAllText(PathOf(name)))!;

    /// <summary>Turns the JS SDK's input shape ({"$bytesBase64": …} for blobs) into the wire JSON shape.</summary>
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

    /// <summary>Asserts two JSON documents are equal, ignoring key order, with a readable message on failure.</summary>
    public static void AssertJsonEqual(JsonNode? expected, JsonNode? actual)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            var options = new JsonSerializerOptions { WriteIndented = true };
            Xunit.Assert.Fail($"JSON differs.\nExpected:\n{expected?.ToJsonString(options)}\nActual:\n{actual?.ToJsonString(options)}");
        }
    }
}
