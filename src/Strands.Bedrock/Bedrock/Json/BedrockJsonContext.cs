using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Strands.Content;

namespace Strands.Bedrock.Json;

/// <summary>
/// The source-generated serialisation metadata of every Converse wire type: no reflection, trimming and Native AOT
/// safe. Null members are omitted; names are camelCase, as on the wire. Users reach it through
/// <see cref="BedrockJson.DefaultOptions"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = false)]
[JsonSerializable(typeof(ConverseRequest))]
[JsonSerializable(typeof(ConverseStreamRequest))]
[JsonSerializable(typeof(ConverseResponse))]
[JsonSerializable(typeof(MessageStartEvent))]
[JsonSerializable(typeof(ContentBlockStartEvent))]
[JsonSerializable(typeof(ContentBlockDeltaEvent))]
[JsonSerializable(typeof(ContentBlockStopEvent))]
[JsonSerializable(typeof(MessageStopEvent))]
[JsonSerializable(typeof(MetadataEvent))]
[JsonSerializable(typeof(RedactContentEvent))]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(List<Message>))]
[JsonSerializable(typeof(ContentBlock))]
[JsonSerializable(typeof(ToolSpecification))]
[JsonSerializable(typeof(ToolResultBlock))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class BedrockJsonContext : JsonSerializerContext;
