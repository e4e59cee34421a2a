using System.Text.Json;
using System.Text.Json.Serialization;
using Strands.Content;

namespace Strands.Sessions.Json;

/// <summary>
/// Source-generated metadata for messages as a session stores them: the Converse shapes of
/// <see cref="Bedrock.Json.BedrockJsonContext"/>, except that bytes take Strands for Python's session form
/// (<see cref="PythonBytesJsonConverter"/>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = false,
    Converters = [typeof(PythonBytesJsonConverter)])]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
