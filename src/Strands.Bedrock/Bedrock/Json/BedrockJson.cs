using System.Text.Json;

namespace Strands.Bedrock;

/// <summary>
/// JSON for the Converse wire types (<see cref="Content.Message"/>, <see cref="Content.ContentBlock"/>,
/// <see cref="ConverseRequest"/>, <see cref="ConverseResponse"/>, the stream events, …) exactly as the service writes
/// and reads them, as Microsoft.Extensions.AI's <c>AIJsonUtilities.DefaultOptions</c> is for its types.
/// </summary>
public static class BedrockJson
{
    /// <summary>
    /// Read-only options whose metadata is source-generated (trimming and Native AOT safe): camelCase names, null
    /// members left out. <c>JsonSerializer.Serialize(message, BedrockJson.DefaultOptions)</c>, or under Native AOT
    /// <c>DefaultOptions.GetTypeInfo(typeof(Message))</c>.
    /// </summary>
    public static JsonSerializerOptions DefaultOptions { get; } = Json.BedrockJsonContext.Default.Options;
}
