using System.Diagnostics;
using System.Diagnostics.Metrics;
using Strands.Bedrock;
using Strands.ChatClients;
using Strands.Content;
using Strands.Models;
using Strands.Tools;

namespace Strands.Telemetry;

/// <summary>
/// The <see cref="ActivitySource"/>, <see cref="Meter"/> and instruments of Strands, and the OpenTelemetry gen_ai
/// semantic conventions they follow: span names, attributes and metric tags. Every method is cheap and allocation-free
/// when nobody listens.
/// </summary>
internal static class GenAITelemetry
{
    public const string OperationInvokeAgent = "invoke_agent";
    public const string OperationChat = "chat";
    public const string OperationExecuteTool = "execute_tool";

    /// <summary>The status code set on an <c>execute_tool</c> span whose tool returned an error result.</summary>
    public const string ToolErrorType = "tool_error";

    private static readonly string? Version = typeof(GenAITelemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(StrandsTelemetry.ActivitySourceName, Version);

    public static readonly Meter Meter = new(StrandsTelemetry.MeterName, Version);

    /// <summary><c>gen_ai.client.operation.duration</c>, with the semantic conventions' bucket boundaries.</summary>
    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
        Names.OperationDurationMetric,
        unit: "s",
        description: "GenAI operation duration.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });

    /// <summary><c>gen_ai.client.token.usage</c>, with the semantic conventions' bucket boundaries.</summary>
    public static readonly Histogram<int> TokenUsage = Meter.CreateHistogram(
        Names.TokenUsageMetric,
        unit: "{token}",
        description: "Number of input and output tokens used.",
        tags: null,
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });

    /// <summary>True when anybody listens to the spans or the metrics.</summary>
    public static bool IsEnabled => Source.HasListeners() || OperationDuration.Enabled || TokenUsage.Enabled;

    /// <summary>Who serves a model: provider name, model id and server, as the model tells (<see cref="ModelMetadata"/>).</summary>
    public static ModelDescription Describe(IModel model)
    {
        var metadata = model.GetService<ModelMetadata>();
        var uri = metadata?.ProviderUri;
        return new ModelDescription(metadata?.ProviderName ?? model.GetType().Name, metadata?.ModelId ?? model.Config.ModelId, uri?.Host, uri?.Port);
    }

    // ------------------------------------------------------------------ invoke_agent

    /// <summary>Starts <c>invoke_agent {name}</c>; null when nobody records it. A system prompt is recorded only when given (captured content).</summary>
    public static Activity? StartInvokeAgent(string agentName, string agentId, string? description, in ModelDescription model, IReadOnlyList<SystemContentBlock>? systemPrompt)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(
            ActivityKind.Internal,
            tags:
            [
                new(Names.OperationName, OperationInvokeAgent),
                new(Names.ProviderName, model.ProviderName),
                new(Names.AgentName, agentName),
                new(Names.AgentId, agentId),
                new(Names.RequestModel, model.ModelId),
            ],
            name: $"{OperationInvokeAgent} {agentName}");
        if (activity is { IsAllDataRequested: true })
        {
            if (description is not null)
            {
                activity.SetTag(Names.AgentDescription, description);
            }

            if (systemPrompt is { Count: > 0 })
            {
                activity.SetTag(Names.SystemInstructions, GenAIContent.SystemInstructions(systemPrompt));
            }
        }

        return activity;
    }

    // ------------------------------------------------------------------ chat

    /// <summary>Starts <c>chat {model}</c>; null when nobody records it.</summary>
    public static Activity? StartChat(in ModelDescription model, ModelConfig config)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        List<KeyValuePair<string, object?>> tags =
        [
            new(Names.OperationName, OperationChat),
            new(Names.ProviderName, model.ProviderName),
            new(Names.RequestModel, model.ModelId),
        ];
        if (model.ServerAddress is not null)
        {
            tags.Add(new(Names.ServerAddress, model.ServerAddress));
            tags.Add(new(Names.ServerPort, model.ServerPort));
        }

        var activity = Source.StartActivity(
            ActivityKind.Client,
            tags: tags,
            name: string.IsNullOrEmpty(model.ModelId) ? OperationChat : $"{OperationChat} {model.ModelId}");
        if (activity is { IsAllDataRequested: true })
        {
            SetIfNotNull(activity, Names.RequestMaxTokens, config.MaxTokens);
            SetIfNotNull(activity, Names.RequestTemperature, config.Temperature);
            SetIfNotNull(activity, Names.RequestTopP, config.TopP);
            if (config.StopSequences is { Count: > 0 } stops)
            {
                activity.SetTag(Names.RequestStopSequences, stops.ToArray());
            }
        }

        return activity;
    }

    /// <summary>Sets the response attributes of a <c>chat</c> or <c>invoke_agent</c> span: finish reason and token usage.</summary>
    public static void SetResponse(Activity? activity, StopReason? stopReason, Content.TokenUsage? usage)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        if (stopReason is { Value: { } reason })
        {
            activity.SetTag(Names.ResponseFinishReasons, new[] { reason });
        }

        if (usage is not null)
        {
            activity.SetTag(Names.UsageInputTokens, InputTokens(usage));
            activity.SetTag(Names.UsageOutputTokens, usage.OutputTokens);
            SetIfNotNull(activity, Names.UsageCacheReadInputTokens, usage.CacheReadInputTokens);
            SetIfNotNull(activity, Names.UsageCacheCreationInputTokens, usage.CacheWriteInputTokens);
        }
    }

    /// <summary>Records <c>gen_ai.client.operation.duration</c> and, with usage, <c>gen_ai.client.token.usage</c>.</summary>
    public static void RecordMetrics(string operation, in ModelDescription model, TimeSpan duration, Content.TokenUsage? usage, string? errorType)
    {
        if (OperationDuration.Enabled)
        {
            var tags = Tags(operation, model);
            if (errorType is not null)
            {
                tags.Add(Names.ErrorType, errorType);
            }

            OperationDuration.Record(duration.TotalSeconds, tags);
        }

        if (usage is not null && TokenUsage.Enabled)
        {
            var input = Tags(operation, model);
            input.Add(Names.TokenType, "input");
            TokenUsage.Record(InputTokens(usage), input);
            var output = Tags(operation, model);
            output.Add(Names.TokenType, "output");
            TokenUsage.Record(usage.OutputTokens, output);
        }
    }

    // ------------------------------------------------------------------ execute_tool

    /// <summary>Starts <c>execute_tool {tool}</c>; null when nobody records it.</summary>
    public static Activity? StartExecuteTool(ToolUseBlock toolUse, AgentTool? tool, bool captureContent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(
            ActivityKind.Internal,
            tags:
            [
                new(Names.OperationName, OperationExecuteTool),
                new(Names.ToolName, toolUse.Name),
                new(Names.ToolCallId, toolUse.ToolUseId),
                new(Names.ToolType, "function"),
            ],
            name: $"{OperationExecuteTool} {toolUse.Name}");
        if (activity is { IsAllDataRequested: true })
        {
            if (tool?.Spec.Description is { } description)
            {
                activity.SetTag(Names.ToolDescription, description);
            }

            if (captureContent)
            {
                activity.SetTag(Names.ToolCallArguments, toolUse.Input.GetRawText());
            }
        }

        return activity;
    }

    /// <summary>Ends an <c>execute_tool</c> span with the tool's result; an error result marks the span failed.</summary>
    public static void SetToolResult(Activity activity, ToolResultBlock result, bool captureContent)
    {
        if (result.Status == ToolResultStatus.Error)
        {
            activity.SetStatus(ActivityStatusCode.Error);
            if (activity.GetTagItem(Names.ErrorType) is null)
            {
                activity.SetTag(Names.ErrorType, ToolErrorType);
            }
        }

        if (captureContent && activity.IsAllDataRequested)
        {
            activity.SetTag(Names.ToolCallResult, GenAIContent.ToolResult(result));
        }
    }

    /// <summary>Notes on the current <c>execute_tool</c> span, if any, the exception a tool call failed with.</summary>
    public static void ToolFailed(Exception? exception)
    {
        if (exception is not null && Activity.Current is { } activity
            && ReferenceEquals(activity.Source, Source)
            && activity.OperationName.StartsWith(OperationExecuteTool, StringComparison.Ordinal))
        {
            activity.SetTag(Names.ErrorType, ErrorType(exception));
        }
    }

    // ------------------------------------------------------------------ shared

    /// <summary>Marks a span failed with <c>error.type</c> (the exception's type) and returns that type.</summary>
    public static string SetError(Activity? activity, Exception exception)
    {
        var errorType = ErrorType(exception);
        if (activity is not null)
        {
            activity.SetTag(Names.ErrorType, errorType);
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        }

        return errorType;
    }

    /// <summary>The <c>error.type</c> of an exception: its full type name.</summary>
    public static string ErrorType(Exception exception) => exception.GetType().FullName ?? exception.GetType().Name;

    /// <summary>
    /// Input tokens as the semantic conventions count them: all of them, including those read from or written to the
    /// prompt cache (Converse reports those apart).
    /// </summary>
    public static int InputTokens(Content.TokenUsage usage)
        => usage.InputTokens + (usage.CacheReadInputTokens ?? 0) + (usage.CacheWriteInputTokens ?? 0);

    private static TagList Tags(string operation, in ModelDescription model)
    {
        var tags = new TagList
        {
            { Names.OperationName, operation },
            { Names.ProviderName, model.ProviderName },
            { Names.RequestModel, model.ModelId },
        };
        if (model.ServerAddress is not null)
        {
            tags.Add(Names.ServerAddress, model.ServerAddress);
            tags.Add(Names.ServerPort, model.ServerPort);
        }

        return tags;
    }

    private static void SetIfNotNull<T>(Activity activity, string name, T? value)
        where T : struct
    {
        if (value is { } v)
        {
            activity.SetTag(name, v);
        }
    }

    /// <summary>The attribute and metric names of the OpenTelemetry gen_ai semantic conventions.</summary>
    internal static class Names
    {
        public const string OperationName = "gen_ai.operation.name";
        public const string ProviderName = "gen_ai.provider.name";
        public const string AgentName = "gen_ai.agent.name";
        public const string AgentId = "gen_ai.agent.id";
        public const string AgentDescription = "gen_ai.agent.description";
        public const string RequestModel = "gen_ai.request.model";
        public const string RequestMaxTokens = "gen_ai.request.max_tokens";
        public const string RequestTemperature = "gen_ai.request.temperature";
        public const string RequestTopP = "gen_ai.request.top_p";
        public const string RequestStopSequences = "gen_ai.request.stop_sequences";
        public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";
        public const string UsageInputTokens = "gen_ai.usage.input_tokens";
        public const string UsageOutputTokens = "gen_ai.usage.output_tokens";
        public const string UsageCacheReadInputTokens = "gen_ai.usage.cache_read.input_tokens";
        public const string UsageCacheCreationInputTokens = "gen_ai.usage.cache_creation.input_tokens";
        public const string ToolName = "gen_ai.tool.name";
        public const string ToolCallId = "gen_ai.tool.call.id";
        public const string ToolType = "gen_ai.tool.type";
        public const string ToolDescription = "gen_ai.tool.description";
        public const string ToolCallArguments = "gen_ai.tool.call.arguments";
        public const string ToolCallResult = "gen_ai.tool.call.result";
        public const string InputMessages = "gen_ai.input.messages";
        public const string OutputMessages = "gen_ai.output.messages";
        public const string SystemInstructions = "gen_ai.system_instructions";
        public const string TokenType = "gen_ai.token.type";
        public const string ErrorType = "error.type";
        public const string ServerAddress = "server.address";
        public const string ServerPort = "server.port";
        public const string OperationDurationMetric = "gen_ai.client.operation.duration";
        public const string TokenUsageMetric = "gen_ai.client.token.usage";
    }
}

/// <summary>Who serves a model, as telemetry names it.</summary>
/// <param name="ProviderName">The <c>gen_ai.provider.name</c>, e.g. <c>aws.bedrock</c>.</param>
/// <param name="ModelId">The <c>gen_ai.request.model</c>.</param>
/// <param name="ServerAddress">The <c>server.address</c>, when known.</param>
/// <param name="ServerPort">The <c>server.port</c>, when known.</param>
internal readonly record struct ModelDescription(string ProviderName, string ModelId, string? ServerAddress, int? ServerPort);
