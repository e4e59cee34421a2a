using System.Text.Json;

namespace Strands.Tests.TestUtilities;

/// <summary>Reads the golden wire fixtures copied to the test output directory (<c>TestData/wire</c>).</summary>
public static class WireFixtures
{
    /// <summary>The full path of a fixture file.</summary>
    /// <param name="name">The file name, e.g. <c>error-throttling.json</c>.</param>
    /// <returns>The path.</returns>
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "wire", name);

    /// <summary>Parses a JSON fixture.</summary>
    /// <param name="name">The file name.</param>
    /// <returns>The document; dispose it.</returns>
    public static JsonDocument Json(string name) => JsonDocument.Parse(File.ReadAllBytes(PathOf(name)));
}
