using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Strands.Bedrock;
using Strands.Bedrock.Json;
using Strands.Content;

namespace Strands.Models;

/// <summary>
/// Builds the ConverseStream request for one model turn, by Strands' rules: the minimal request shape, inference
/// parameters only when set, the noop tool, cache points, guardrail, thinking, and blocks rebuilt so that only what
/// Bedrock accepts is sent. The caller's messages are never changed.
/// </summary>
internal sealed partial class BedrockRequestFormatter(ILogger logger)
{
    /// <summary>The tool spec sent when the history holds tool blocks but no tools are offered (Bedrock rejects that otherwise).</summary>
    internal static readonly ToolSpecification NoopTool = new()
    {
        Name = "noop",
        Description = "This is a fake tool that MUST be completely ignored.",
        InputSchema = new ToolInputSchema { Json = JsonValues.Parse("""{"type":"object","properties":{}}""") },
    };

    public ConverseStreamRequest Format(
        BedrockModelConfig config,
        IReadOnlyList<Message> messages,
        IReadOnlyList<ToolSpecification>? toolSpecs,
        IReadOnlyList<SystemContentBlock>? systemPrompt,
        ToolChoice? toolChoice)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if ((toolSpecs is null || toolSpecs.Count == 0) && HasToolBlocks(messages))
        {
            toolSpecs = [NoopTool];
        }

        var request = new ConverseStreamRequest
        {
            ModelId = config.ModelId,
            Messages = FormatMessages(config, messages),
            System = FormatSystem(config, systemPrompt),
            InferenceConfig = new InferenceConfiguration
            {
                MaxTokens = config.MaxTokens,
                Temperature = (float?)config.Temperature,
                TopP = (float?)config.TopP,
                StopSequences = config.StopSequences,
            },
            ToolConfig = toolSpecs is { Count: > 0 } ? FormatTools(config, toolSpecs, toolChoice) : null,
            AdditionalModelRequestFields = FormatAdditionalFields(config, toolChoice),
            AdditionalModelResponseFieldPaths = config.AdditionalResponseFieldPaths,
            ServiceTier = config.ServiceTier is { } tier ? new ServiceTier { Type = tier } : null,
            GuardrailConfig = config.Guardrail is { Id: { Length: > 0 } id, Version: { Length: > 0 } version } guardrail
                ? new GuardrailStreamConfiguration
                {
                    GuardrailIdentifier = id,
                    GuardrailVersion = version,
                    Trace = guardrail.Trace,
                    StreamProcessingMode = guardrail.StreamProcessingMode,
                }
                : null,
        };

        return config.AdditionalArgs is { } extra ? MergeAdditionalArgs(request, extra) : request;
    }

    /// <summary>The same request for Converse: identical, except that the guardrail has no stream processing mode.</summary>
    public static ConverseRequest ToConverseRequest(ConverseStreamRequest request) => new()
    {
        ModelId = request.ModelId,
        Messages = request.Messages,
        System = request.System,
        InferenceConfig = request.InferenceConfig,
        ToolConfig = request.ToolConfig,
        AdditionalModelRequestFields = request.AdditionalModelRequestFields,
        PromptVariables = request.PromptVariables,
        AdditionalModelResponseFieldPaths = request.AdditionalModelResponseFieldPaths,
        RequestMetadata = request.RequestMetadata,
        PerformanceConfig = request.PerformanceConfig,
        ServiceTier = request.ServiceTier,
        OutputConfig = request.OutputConfig,
        AdditionalMembers = request.AdditionalMembers,
        GuardrailConfig = request.GuardrailConfig is { } g
            ? new GuardrailConfiguration { GuardrailIdentifier = g.GuardrailIdentifier, GuardrailVersion = g.GuardrailVersion, Trace = g.Trace }
            : null,
    };

    private static bool HasToolBlocks(IReadOnlyList<Message> messages)
    {
        foreach (var message in messages)
        {
            foreach (var block in message.Content ?? [])
            {
                if (block.ToolUse is not null || block.ToolResult is not null)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static List<SystemContentBlock> FormatSystem(BedrockModelConfig config, IReadOnlyList<SystemContentBlock>? systemPrompt)
    {
        var system = new List<SystemContentBlock>(systemPrompt ?? []);
        if (config.Cache?.SystemPrompt is { } type)
        {
            system.Add(new SystemContentBlock { CachePoint = new CachePointBlock { Type = type } });
        }

        return system;
    }

    private static ToolConfiguration FormatTools(BedrockModelConfig config, IReadOnlyList<ToolSpecification> toolSpecs, ToolChoice? toolChoice)
    {
        var tools = new List<Tool>(toolSpecs.Count + 1);
        foreach (var spec in toolSpecs)
        {
            var schema = spec.InputSchema;
            if (config.StrictTools && schema.Json is { } json)
            {
                schema = new ToolInputSchema { Json = StrictSchema(json) };
            }

            tools.Add(new Tool
            {
                ToolSpec = new ToolSpecification
                {
                    Name = spec.Name,
                    Description = spec.Description,
                    InputSchema = schema,
                    Strict = config.StrictTools ? true : spec.Strict,
                },
            });
        }

        if (config.Cache?.Tools is { } type)
        {
            tools.Add(new Tool { CachePoint = new CachePointBlock { Type = type } });
        }

        return new ToolConfiguration { Tools = tools, ToolChoice = toolChoice ?? ToolChoice.AutoChoice };
    }

    /// <summary>A copy of the schema with <c>additionalProperties: false</c> on every object that does not set it.</summary>
    private static JsonElement StrictSchema(JsonElement schema)
    {
        var node = JsonNode.Parse(schema.GetRawText())!;
        CloseObjects(node);
        return JsonSerializer.SerializeToElement(node, BedrockJsonContext.Default.JsonNode);

        static void CloseObjects(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["type"] is JsonValue type && type.TryGetValue<string>(out var t) && t == "object" && !obj.ContainsKey("additionalProperties"))
                    {
                        obj["additionalProperties"] = false;
                    }

                    foreach (var (_, child) in obj.ToList())
                    {
                        CloseObjects(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        CloseObjects(child);
                    }

                    break;
            }
        }
    }

    private static JsonElement? FormatAdditionalFields(BedrockModelConfig config, ToolChoice? toolChoice)
    {
        if (config.AdditionalRequestFields is null && config.Reasoning is null)
        {
            return null;
        }

        var fields = config.AdditionalRequestFields is { ValueKind: JsonValueKind.Object } given
            ? JsonNode.Parse(given.GetRawText())!.AsObject()
            : [];
        if (config.Reasoning is { } reasoning)
        {
            fields["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = reasoning.BudgetTokens };
        }

        // Bedrock rejects thinking when the tool choice forces a tool (Strands issue #1485).
        if (toolChoice?.ForcesToolUse == true)
        {
            fields.Remove("thinking");
        }

        return fields.Count == 0 ? null : JsonSerializer.SerializeToElement(fields, BedrockJsonContext.Default.JsonObject);
    }

    private static ConverseStreamRequest MergeAdditionalArgs(ConverseStreamRequest request, JsonElement extra)
    {
        if (extra.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("BedrockModelConfig.AdditionalArgs must be a JSON object.");
        }

        var merged = JsonSerializer.SerializeToNode(request, BedrockJsonContext.Default.ConverseStreamRequest)!.AsObject();
        foreach (var property in extra.EnumerateObject())
        {
            merged[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }

        return JsonSerializer.Deserialize(merged, BedrockJsonContext.Default.ConverseStreamRequest)! with { ModelId = request.ModelId };
    }

    private List<Message> FormatMessages(BedrockModelConfig config, IReadOnlyList<Message> messages)
    {
        var modelId = config.ModelId.ToLowerInvariant();
        var dropReasoning = modelId.Contains("deepseek", StringComparison.Ordinal);
        var keepStatus = config.IncludeToolResultStatus switch
        {
            ToolResultStatusPolicy.Include => true,
            ToolResultStatusPolicy.Exclude => false,
            _ => config.ModelId.Contains("anthropic.claude", StringComparison.Ordinal),
        };

        var guardIndex = config.Guardrail?.GuardLatestUserMessage == true ? FindLatestUserTextOrImageMessage(messages) : -1;
        var formatted = new List<Message>(messages.Count);
        var droppedBefore = false;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw new ArgumentException($"Message {i} is null.", nameof(messages));
            if (message.Content is null || message.Content.Count == 0)
            {
                throw new ArgumentException($"Message {i} ({message.Role.Value}) has no content blocks; Bedrock rejects a message with empty content.", nameof(messages));
            }

            var content = new List<ContentBlock>(message.Content.Count + 1);
            for (var j = 0; j < message.Content.Count; j++)
            {
                var block = message.Content[j];
                if (block?.Text is { } text && string.IsNullOrWhiteSpace(text))
                {
                    throw new ArgumentException($"Message {i} ({message.Role.Value}), content block {j} is blank text; Bedrock rejects empty and whitespace-only text blocks.", nameof(messages));
                }

                if (block is null || (dropReasoning && block.ReasoningContent is not null))
                {
                    continue;
                }

                if (FormatBlock(block, keepStatus) is { } formattedBlock)
                {
                    content.Add(i == guardIndex ? GuardBlock(formattedBlock) : formattedBlock);
                }
            }

            // A message left empty (e.g. a DeepSeek turn that only reasoned) is dropped, as Bedrock rejects empty content;
            // the messages around it then have the same role, and join, as Bedrock also rejects two in a row.
            if (content.Count == 0)
            {
                droppedBefore = true;
            }
            else if (droppedBefore && formatted.Count > 0 && formatted[^1].Role == message.Role)
            {
                formatted[^1] = formatted[^1] with { Content = [.. formatted[^1].Content, .. content] };
                droppedBefore = false;
            }
            else
            {
                formatted.Add(new Message { Role = message.Role, Content = content });
                droppedBefore = false;
            }
        }

        if (UsesAutomaticMessageCache(config))
        {
            PlaceMessageCachePoint(formatted);
        }

        return formatted;
    }

    private bool UsesAutomaticMessageCache(BedrockModelConfig config)
    {
        switch (config.Cache?.Messages)
        {
            case MessageCacheStrategy.Anthropic:
                return true;
            case MessageCacheStrategy.Auto:
                var id = config.ModelId.ToLowerInvariant();
                if (id.Contains("claude", StringComparison.Ordinal) || id.Contains("anthropic", StringComparison.Ordinal))
                {
                    return true;
                }

                Log.AutomaticCachingUnsupported(logger, config.ModelId);
                return false;
            default:
                return false;
        }
    }

    /// <summary>Removes every message cache point and puts one at the end of the last user message.</summary>
    private void PlaceMessageCachePoint(List<Message> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var content = messages[i].Content;
            if (content.Any(b => b.CachePoint is not null))
            {
                Log.CachePointRemoved(logger, i);
                messages[i] = messages[i] with { Content = content.Where(b => b.CachePoint is null).ToList() };
            }
        }

        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ConversationRole.User && messages[i].Content.Count > 0)
            {
                messages[i] = messages[i] with { Content = [.. messages[i].Content, ContentBlock.CachePointDefault] };
                return;
            }
        }
    }

    /// <summary>The index of the last user message with text or an image (tool-result-only messages are skipped), or -1.</summary>
    internal static int FindLatestUserTextOrImageMessage(IReadOnlyList<Message> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ConversationRole.User && messages[i].Content.Any(b => b.Text is not null || b.Image is not null))
            {
                return i;
            }
        }

        return -1;
    }

    private static ContentBlock GuardBlock(ContentBlock block) => block switch
    {
        { Text: { } text } => new ContentBlock { GuardContent = new GuardrailConverseContentBlock { Text = new GuardrailConverseTextBlock { Text = text } } },
        { Image: { Source.Bytes: { } bytes } image } when image.Format == ImageFormat.Png || image.Format == ImageFormat.Jpeg =>
            new ContentBlock
            {
                GuardContent = new GuardrailConverseContentBlock
                {
                    Image = new GuardrailConverseImageBlock { Format = new GuardrailConverseImageFormat(image.Format.Value), Source = new GuardrailConverseImageSource { Bytes = bytes } },
                },
            },
        _ => block,
    };

    /// <summary>Rebuilds a block with only the members Bedrock accepts; null drops it.</summary>
    private ContentBlock? FormatBlock(ContentBlock block, bool keepToolResultStatus)
    {
        if (block.CachePoint is { } cachePoint)
        {
            return new ContentBlock { CachePoint = new CachePointBlock { Type = cachePoint.Type, Ttl = cachePoint.Ttl } };
        }

        if (block.Document is { } document)
        {
            return FormatDocument(document) is { } d ? new ContentBlock { Document = d } : null;
        }

        if (block.GuardContent is { } guard)
        {
            return new ContentBlock { GuardContent = guard };
        }

        if (block.Image is { } image)
        {
            return FormatImage(image) is { } im ? new ContentBlock { Image = im } : null;
        }

        if (block.ReasoningContent is { } reasoning)
        {
            return new ContentBlock
            {
                ReasoningContent = new ReasoningContentBlock
                {
                    // An empty signature is rejected by some models (gpt-oss), so it is left out.
                    ReasoningText = reasoning.ReasoningText is { } r
                        ? new ReasoningTextBlock { Text = r.Text, Signature = string.IsNullOrEmpty(r.Signature) ? null : r.Signature }
                        : null,
                    RedactedContent = reasoning.RedactedContent,
                },
            };
        }

        if (block.Text is { } text)
        {
            return new ContentBlock { Text = text };
        }

        if (block.ToolResult is { } result)
        {
            var items = new List<ToolResultContentBlock>(result.Content?.Count ?? 1);
            foreach (var item in result.Content ?? [])
            {
                if (FormatToolResultItem(item) is { } formattedItem)
                {
                    items.Add(formattedItem);
                }
            }

            // Some models (Nemotron) reject an empty tool result (Strands issue #2122).
            if (items.Count == 0)
            {
                items.Add(ToolResultContentBlock.FromText(""));
            }

            return new ContentBlock
            {
                ToolResult = new ToolResultBlock { ToolUseId = result.ToolUseId, Content = items, Status = keepToolResultStatus ? result.Status : null },
            };
        }

        if (block.ToolUse is { } toolUse)
        {
            return new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = toolUse.ToolUseId, Name = toolUse.Name, Input = toolUse.Input, Type = toolUse.Type } };
        }

        if (block.Video is { } video)
        {
            return FormatVideo(video) is { } v ? new ContentBlock { Video = v } : null;
        }

        if (block.CitationsContent is { } citations)
        {
            return new ContentBlock
            {
                CitationsContent = new CitationsContentBlock
                {
                    Content = citations.Content?.Where(c => c.Text is not null).Select(c => new CitationGeneratedContent { Text = c.Text }).ToList(),
                    Citations = citations.Citations?.Select(c => new Citation
                    {
                        Title = c.Title,
                        Source = c.Source,
                        Location = c.Location,
                        SourceContent = c.SourceContent?.Where(s => s.Text is not null).Select(s => new CitationSourceContent { Text = s.Text }).ToList() is { Count: > 0 } sc ? sc : null,
                    }).ToList(),
                },
            };
        }

        if (block.Audio is not null || block.SearchResult is not null || block.UnknownMembers is { Count: > 0 })
        {
            // Passed through as they are: members Strands does not rebuild, and members newer than this version.
            return block;
        }

        throw new ArgumentException("A content block has no member set.");
    }

    private ToolResultContentBlock? FormatToolResultItem(ToolResultContentBlock item)
    {
        if (item.Json is { } json)
        {
            return new ToolResultContentBlock { Json = json };
        }

        if (item.Text is { } text)
        {
            return new ToolResultContentBlock { Text = text };
        }

        if (item.Image is { } image)
        {
            return FormatImage(image) is { } im ? new ToolResultContentBlock { Image = im } : null;
        }

        if (item.Document is { } document)
        {
            return FormatDocument(document) is { } d ? new ToolResultContentBlock { Document = d } : null;
        }

        if (item.Video is { } video)
        {
            return FormatVideo(video) is { } v ? new ToolResultContentBlock { Video = v } : null;
        }

        return item.SearchResult is not null || item.UnknownMembers is { Count: > 0 } ? item : null;
    }

    private ImageBlock? FormatImage(ImageBlock image) =>
        IsSupportedLocation(image.Source.S3Location) ? new ImageBlock { Format = image.Format, Source = image.Source } : null;

    private VideoBlock? FormatVideo(VideoBlock video) =>
        IsSupportedLocation(video.Source.S3Location) ? new VideoBlock { Format = video.Format, Source = video.Source } : null;

    private DocumentBlock? FormatDocument(DocumentBlock document) =>
        IsSupportedLocation(document.Source.S3Location)
            ? new DocumentBlock { Name = document.Name, Format = document.Format, Source = document.Source, Citations = document.Citations, Context = document.Context }
            : null;

    /// <summary>Bedrock reads media only from S3: a location with another scheme drops its block, with a warning.</summary>
    private bool IsSupportedLocation(S3Location? location)
    {
        if (location is null || location.Uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        Log.NonS3LocationSkipped(logger);
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Warning, "Non s3 location sources are not supported by Bedrock | skipping content block")]
        public static partial void NonS3LocationSkipped(ILogger logger);

        [LoggerMessage(102, LogLevel.Warning, "cache_config is enabled but this model does not support automatic caching: {ModelId}")]
        public static partial void AutomaticCachingUnsupported(ILogger logger, string modelId);

        [LoggerMessage(103, LogLevel.Warning, "Removed a cache point from message {Index}: automatic message caching places its own")]
        public static partial void CachePointRemoved(ILogger logger, int index);
    }
}
