using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Strands.Content;

namespace Strands.ChatClients;

/// <summary>
/// Maps between Microsoft.Extensions.AI chat messages, tools and usage and their Converse counterparts, both ways.
/// Content whose <see cref="AIContent.RawRepresentation"/> is a <see cref="ContentBlock"/> round-trips unchanged.
/// </summary>
internal static class ChatMessageMapper
{
    /// <summary>The name of the usage count for input tokens written to the prompt cache.</summary>
    public const string CacheWriteInputTokensKey = "CacheWriteInputTokens";

    private static readonly JsonElement EmptyObjectSchema = JsonValues.Parse("""{"type":"object","properties":{}}""");

    // ---------------------------------------------------------------- Microsoft.Extensions.AI → Converse

    /// <summary>
    /// Turns chat messages into Converse messages and system blocks: system messages and <paramref name="instructions"/>
    /// become system text, tool messages become user messages, and consecutive messages of one role are merged
    /// (Converse requires the roles to alternate). Messages left without content are dropped.
    /// </summary>
    public static List<Message> ToConverse(IEnumerable<ChatMessage> messages, string? instructions, out List<SystemContentBlock> system)
    {
        system = [];
        if (!string.IsNullOrEmpty(instructions))
        {
            system.Add(SystemContentBlock.FromText(instructions));
        }

        var result = new List<Message>();
        var documents = 0;
        foreach (var message in messages)
        {
            if (message is null)
            {
                continue;
            }

            if (message.Role == ChatRole.System)
            {
                foreach (var content in message.Contents)
                {
                    if (content is TextContent { Text: { Length: > 0 } text })
                    {
                        system.Add(SystemContentBlock.FromText(text));
                    }
                }

                continue;
            }

            var role = message.Role == ChatRole.Assistant ? ConversationRole.Assistant : ConversationRole.User;
            var blocks = new List<ContentBlock>(message.Contents.Count);
            foreach (var content in message.Contents)
            {
                if (ToContentBlock(content, ref documents) is { } block)
                {
                    blocks.Add(block);
                }
            }

            if (blocks.Count == 0)
            {
                continue;
            }

            if (result.Count > 0 && result[^1].Role == role)
            {
                result[^1] = result[^1] with { Content = [.. result[^1].Content, .. blocks] };
            }
            else
            {
                result.Add(new Message { Role = role, Content = blocks });
            }
        }

        return result;
    }

    private static ContentBlock? ToContentBlock(AIContent content, ref int documents)
    {
        if (content.RawRepresentation is ContentBlock raw)
        {
            return raw;
        }

        switch (content)
        {
            case TextContent text:
                return string.IsNullOrEmpty(text.Text) ? null : ContentBlock.FromText(text.Text);

            case TextReasoningContent reasoning:
                return ToReasoningBlock(reasoning);

            case FunctionCallContent call:
                return new ContentBlock
                {
                    ToolUse = new ToolUseBlock { ToolUseId = call.CallId, Name = call.Name, Input = ChatJson.ArgumentsToElement(call.Arguments) },
                };

            case FunctionResultContent result:
                return new ContentBlock
                {
                    ToolResult = new ToolResultBlock
                    {
                        ToolUseId = result.CallId,
                        Content = ToToolResultContent(result),
                        Status = result.Exception is null ? ToolResultStatus.Success : ToolResultStatus.Error,
                    },
                };

            case DataContent data:
                return ToMediaBlock(data.MediaType, data.Data.ToArray(), null, data.Name, ref documents);

            case UriContent { Uri: { Scheme: "s3" } uri } s3:
                return ToMediaBlock(s3.MediaType, null, new S3Location { Uri = uri.ToString() }, null, ref documents);

            default:
                return null;
        }
    }

    /// <summary>
    /// Reasoning text keeps its signature in <see cref="TextReasoningContent.ProtectedData"/>; reasoning without text
    /// whose protected data is base64 is redacted (encrypted) reasoning.
    /// </summary>
    private static ContentBlock? ToReasoningBlock(TextReasoningContent reasoning)
    {
        if (!string.IsNullOrEmpty(reasoning.Text))
        {
            return new ContentBlock
            {
                ReasoningContent = new ReasoningContentBlock
                {
                    ReasoningText = new ReasoningTextBlock { Text = reasoning.Text, Signature = string.IsNullOrEmpty(reasoning.ProtectedData) ? null : reasoning.ProtectedData },
                },
            };
        }

        if (reasoning.ProtectedData is { Length: > 0 } data)
        {
            var bytes = new byte[(data.Length * 3 / 4) + 3];
            if (Convert.TryFromBase64String(data, bytes, out var written))
            {
                return new ContentBlock { ReasoningContent = new ReasoningContentBlock { RedactedContent = bytes[..written] } };
            }
        }

        return null;
    }

    private static List<ToolResultContentBlock> ToToolResultContent(FunctionResultContent result)
    {
        var blocks = new List<ToolResultContentBlock>();
        var documents = 0;
        AddResult(result.Result, blocks, ref documents);
        if (blocks.Count == 0)
        {
            blocks.Add(ToolResultContentBlock.FromText(result.Exception is { } exception ? $"Error: {exception.Message}" : string.Empty));
        }

        return blocks;
    }

    private static void AddResult(object? value, List<ToolResultContentBlock> blocks, ref int documents)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                blocks.Add(ToolResultContentBlock.FromText(text));
                return;
            case TextContent text:
                blocks.Add(ToolResultContentBlock.FromText(text.Text));
                return;
            case DataContent data:
                if (ToMediaBlock(data.MediaType, data.Data.ToArray(), null, data.Name, ref documents) is { } media)
                {
                    blocks.Add(new ToolResultContentBlock { Image = media.Image, Document = media.Document, Video = media.Video });
                }

                return;
            case IEnumerable<AIContent> contents:
                foreach (var content in contents)
                {
                    AddResult(content, blocks, ref documents);
                }

                return;
            default:
                var json = ChatJson.ToElement(value);
                blocks.Add(json.ValueKind == JsonValueKind.Object
                    ? ToolResultContentBlock.FromJson(json)
                    : ToolResultContentBlock.FromText(json.ValueKind == JsonValueKind.String ? json.GetString()! : json.GetRawText()));
                return;
        }
    }

    private static ContentBlock? ToMediaBlock(string mediaType, byte[]? bytes, S3Location? s3, string? name, ref int documents)
    {
        if (MediaTypes.ImageFormatOf(mediaType) is { } image)
        {
            return new ContentBlock { Image = new ImageBlock { Format = image, Source = new ImageSource { Bytes = bytes, S3Location = s3 } } };
        }

        if (MediaTypes.VideoFormatOf(mediaType) is { } video)
        {
            return new ContentBlock { Video = new VideoBlock { Format = video, Source = new VideoSource { Bytes = bytes, S3Location = s3 } } };
        }

        if (MediaTypes.AudioFormatOf(mediaType) is { } audio)
        {
            return new ContentBlock { Audio = new AudioBlock { Format = audio, Source = new AudioSource { Bytes = bytes, S3Location = s3 } } };
        }

        if (MediaTypes.DocumentFormatOf(mediaType) is { } document)
        {
            documents++;
            return new ContentBlock
            {
                Document = new DocumentBlock
                {
                    Format = document,
                    Name = string.IsNullOrWhiteSpace(name) ? $"document-{documents}" : name,
                    Source = new DocumentSource { Bytes = bytes, S3Location = s3 },
                },
            };
        }

        return null;
    }

    /// <summary>The function declarations among <paramref name="tools"/> as tool specifications; other tools are skipped.</summary>
    public static List<ToolSpecification>? ToToolSpecs(IList<AITool>? tools)
    {
        if (tools is not { Count: > 0 })
        {
            return null;
        }

        var specs = new List<ToolSpecification>(tools.Count);
        foreach (var tool in tools)
        {
            if (tool is AIFunctionDeclaration function)
            {
                specs.Add(new ToolSpecification
                {
                    Name = function.Name,
                    Description = string.IsNullOrWhiteSpace(function.Description) ? function.Name : function.Description,
                    InputSchema = new ToolInputSchema { Json = function.JsonSchema.ValueKind == JsonValueKind.Object ? function.JsonSchema : EmptyObjectSchema },
                });
            }
        }

        return specs.Count == 0 ? null : specs;
    }

    /// <summary>The Converse tool choice of a tool mode; null (auto) for auto, none or unset.</summary>
    public static ToolChoice? ToToolChoice(ChatToolMode? mode) => mode switch
    {
        RequiredChatToolMode { RequiredFunctionName: { } name } => ToolChoice.ForTool(name),
        RequiredChatToolMode => ToolChoice.AnyChoice,
        _ => null,
    };

    /// <summary>The chat finish reason of a Converse stop reason.</summary>
    public static ChatFinishReason ToFinishReason(StopReason stopReason)
    {
        if (stopReason == StopReason.EndTurn || stopReason == StopReason.StopSequence)
        {
            return ChatFinishReason.Stop;
        }

        if (stopReason == StopReason.ToolUse)
        {
            return ChatFinishReason.ToolCalls;
        }

        if (stopReason == StopReason.MaxTokens || stopReason == StopReason.ModelContextWindowExceeded)
        {
            return ChatFinishReason.Length;
        }

        if (stopReason == StopReason.GuardrailIntervened || stopReason == StopReason.ContentFiltered)
        {
            return ChatFinishReason.ContentFilter;
        }

        return new ChatFinishReason(stopReason.Value ?? "unknown");
    }

    /// <summary>
    /// Usage as Microsoft.Extensions.AI counts it: input includes the tokens read from and written to the prompt cache
    /// (so input plus output is the total), <see cref="UsageDetails.CachedInputTokenCount"/> is the cache reads, and
    /// cache writes are in <see cref="UsageDetails.AdditionalCounts"/> under <see cref="CacheWriteInputTokensKey"/>.
    /// </summary>
    public static UsageDetails ToUsageDetails(TokenUsage usage)
    {
        var details = new UsageDetails
        {
            InputTokenCount = (long)usage.InputTokens + (usage.CacheReadInputTokens ?? 0) + (usage.CacheWriteInputTokens ?? 0),
            OutputTokenCount = usage.OutputTokens,
            TotalTokenCount = usage.TotalTokens,
            CachedInputTokenCount = usage.CacheReadInputTokens,
        };
        if (usage.CacheWriteInputTokens is { } written)
        {
            details.AdditionalCounts = new() { [CacheWriteInputTokensKey] = written };
        }

        return details;
    }

    // ---------------------------------------------------------------- Converse → Microsoft.Extensions.AI

    /// <summary>
    /// Turns Converse messages into chat messages: a system message first (the system prompt's text), tool results as
    /// tool messages (before the rest of their user message), and each block's <see cref="AIContent.RawRepresentation"/>
    /// set to the block.
    /// </summary>
    public static List<ChatMessage> FromConverse(IReadOnlyList<Message> messages, IReadOnlyList<SystemContentBlock>? systemPrompt)
    {
        var result = new List<ChatMessage>(messages.Count + 1);
        if (systemPrompt is { Count: > 0 })
        {
            var text = new StringBuilder();
            foreach (var block in systemPrompt)
            {
                var blockText = block.Text ?? block.GuardContent?.Text?.Text;
                if (!string.IsNullOrEmpty(blockText))
                {
                    text.Append(text.Length > 0 ? "\n" : string.Empty).Append(blockText);
                }
            }

            if (text.Length > 0)
            {
                result.Add(new ChatMessage(ChatRole.System, text.ToString()));
            }
        }

        foreach (var message in messages)
        {
            var toolResults = new List<AIContent>();
            var contents = new List<AIContent>(message.Content.Count);
            foreach (var block in message.Content)
            {
                if (block.ToolResult is { } toolResult)
                {
                    toolResults.Add(new FunctionResultContent(toolResult.ToolUseId, FromToolResultContent(toolResult)) { RawRepresentation = block });
                }
                else if (FromContentBlock(block) is { } content)
                {
                    contents.Add(content);
                }
            }

            if (toolResults.Count > 0)
            {
                result.Add(new ChatMessage(ChatRole.Tool, toolResults) { RawRepresentation = message });
            }

            if (contents.Count > 0)
            {
                result.Add(new ChatMessage(message.Role == ConversationRole.Assistant ? ChatRole.Assistant : ChatRole.User, contents) { RawRepresentation = message });
            }
        }

        return result;
    }

    private static AIContent? FromContentBlock(ContentBlock block)
    {
        AIContent? content = block switch
        {
            { Text: { } text } => new TextContent(text),
            { ToolUse: { } toolUse } => new FunctionCallContent(toolUse.ToolUseId, toolUse.Name, ChatJson.ElementToArguments(toolUse.Input)),
            { ReasoningContent.ReasoningText: { } reasoning } => new TextReasoningContent(reasoning.Text) { ProtectedData = reasoning.Signature },
            { ReasoningContent.RedactedContent: { } redacted } => new TextReasoningContent(string.Empty) { ProtectedData = Convert.ToBase64String(redacted) },
            { Image: { Source.Bytes: { } bytes } image } => new DataContent(bytes, MediaTypes.ForImage(image.Format)),
            { Image: { Source.S3Location: { } s3 } image } => new UriContent(s3.Uri, MediaTypes.ForImage(image.Format)),
            { Document: { Source.Bytes: { } bytes } document } => new DataContent(bytes, MediaTypes.ForDocument(document.Format)) { Name = document.Name },
            { Document: { Source.S3Location: { } s3 } document } => new UriContent(s3.Uri, MediaTypes.ForDocument(document.Format)),
            { Document.Source.Text: { } text } => new TextContent(text),
            { Document.Source.Content: { } parts } => new TextContent(string.Join("\n", parts.Select(p => p.Text))),
            { Video: { Source.Bytes: { } bytes } video } => new DataContent(bytes, MediaTypes.ForVideo(video.Format)),
            { Video: { Source.S3Location: { } s3 } video } => new UriContent(s3.Uri, MediaTypes.ForVideo(video.Format)),
            { Audio: { Source.Bytes: { } bytes } audio } => new DataContent(bytes, MediaTypes.ForAudio(audio.Format)),
            { CitationsContent.Content: { } generated } => new TextContent(string.Concat(generated.Select(g => g.Text))),
            { SearchResult: { } searchResult } => new TextContent(string.Join("\n", searchResult.Content.Select(c => c.Text))),
            { GuardContent.Text.Text: { } text } => new TextContent(text),
            _ => null,
        };
        if (content is not null)
        {
            content.RawRepresentation = block;
        }

        return content;
    }

    /// <summary>A tool result as a function result: its text, or its JSON value when it is one JSON block.</summary>
    private static object? FromToolResultContent(ToolResultBlock toolResult)
    {
        if (toolResult.Content is [{ Json: { } json }])
        {
            return json;
        }

        var text = new StringBuilder();
        foreach (var block in toolResult.Content)
        {
            var part = block.Text ?? block.Json?.GetRawText();
            if (part is not null)
            {
                text.Append(text.Length > 0 ? "\n" : string.Empty).Append(part);
            }
        }

        return text.ToString();
    }

    /// <summary>Tool specifications as function declarations (schemas only; the agent runs the tools).</summary>
    public static List<AITool>? ToDeclarations(IReadOnlyList<ToolSpecification>? toolSpecs)
    {
        if (toolSpecs is not { Count: > 0 })
        {
            return null;
        }

        var tools = new List<AITool>(toolSpecs.Count);
        foreach (var spec in toolSpecs)
        {
            tools.Add(AIFunctionFactory.CreateDeclaration(spec.Name, spec.Description, spec.InputSchema.Json ?? EmptyObjectSchema));
        }

        return tools;
    }

    /// <summary>The tool mode of a Converse tool choice; null (the client's default, auto) for auto or unset.</summary>
    public static ChatToolMode? ToToolMode(ToolChoice? toolChoice) => toolChoice switch
    {
        { Tool.Name: { } name } => ChatToolMode.RequireSpecific(name),
        { Any: not null } => ChatToolMode.RequireAny,
        _ => null,
    };

    /// <summary>The Converse stop reason of a finish reason; <c>tool_use</c> when unset and the turn called tools.</summary>
    public static StopReason ToStopReason(ChatFinishReason? finishReason, bool calledTools)
    {
        if (finishReason is not { } reason)
        {
            return calledTools ? StopReason.ToolUse : StopReason.EndTurn;
        }

        if (reason == ChatFinishReason.Stop)
        {
            return calledTools ? StopReason.ToolUse : StopReason.EndTurn;
        }

        if (reason == ChatFinishReason.ToolCalls)
        {
            return StopReason.ToolUse;
        }

        if (reason == ChatFinishReason.Length)
        {
            return StopReason.MaxTokens;
        }

        return reason == ChatFinishReason.ContentFilter ? StopReason.ContentFiltered : StopReason.FromWire(reason.Value);
    }

    /// <summary>Usage as Converse counts it: input without the cached tokens, which are reported as cache reads.</summary>
    public static TokenUsage ToTokenUsage(UsageDetails? details)
    {
        if (details is null)
        {
            return new TokenUsage();
        }

        var cached = details.CachedInputTokenCount;
        long? written = details.AdditionalCounts?.TryGetValue(CacheWriteInputTokensKey, out var w) == true ? w : null;
        var input = (details.InputTokenCount ?? 0) - (cached ?? 0) - (written ?? 0);
        var output = details.OutputTokenCount ?? 0;
        return new TokenUsage
        {
            InputTokens = Clamp(Math.Max(0, input)),
            OutputTokens = Clamp(output),
            TotalTokens = Clamp(details.TotalTokenCount ?? ((details.InputTokenCount ?? 0) + output)),
            CacheReadInputTokens = cached is { } c ? Clamp(c) : null,
            CacheWriteInputTokens = written is { } wr ? Clamp(wr) : null,
        };
    }

    private static int Clamp(long value) => (int)Math.Clamp(value, 0, int.MaxValue);
}
