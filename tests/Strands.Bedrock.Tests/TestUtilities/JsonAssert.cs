using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strands.Tests.TestUtilities;

/// <summary>Compares JSON documents as data: key order does not matter, and a failure shows both documents.</summary>
public static class JsonAssert
{
    /// <summary>Asserts two JSON documents are equal, ignoring key order.</summary>
    /// <param name="expected">The expected document.</param>
    /// <param name="actual">The actual document.</param>
    public static void Equal(JsonNode? expected, JsonNode? actual)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            var options = new JsonSerializerOptions { WriteIndented = true };
            Assert.Fail($"JSON differs.\nExpected:\n{expected?.ToJsonString(options)}\nActual:\n{actual?.ToJsonString(options)}");
        }
    }
}
