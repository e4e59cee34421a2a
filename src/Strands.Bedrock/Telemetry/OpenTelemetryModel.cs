using Strands.Agents;
using Strands.Content;
using Strands.Models;

namespace Strands.Telemetry;

/// <summary>
/// A model decorator that records each model call as an OpenTelemetry <c>chat {model}</c> span with the gen_ai
/// semantic conventions (provider, model, server, stop reason, token usage, errors) and the duration and token
/// histograms, like Microsoft.Extensions.AI's <c>OpenTelemetryChatClient</c>. It steps aside when nobody listens to
/// <see cref="StrandsTelemetry.ActivitySourceName"/> or <see cref="StrandsTelemetry.MeterName"/>. An agent wraps its
/// model in one by itself unless the model already has one (<see cref="IModel.GetService"/>).
/// </summary>
public sealed class OpenTelemetryModel : DelegatingModel
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the decorator.</summary>
    /// <param name="innerModel">The model whose calls are recorded.</param>
    /// <param name="captureMessageContent">
    /// Whether spans carry the messages, system prompt and answer (personal or confidential data: enable it only where
    /// the telemetry backend may store them); from <see cref="StrandsTelemetry.CaptureMessageContentEnvironmentVariable"/> when null.
    /// </param>
    /// <param name="timeProvider">The clock of the duration histogram; the system clock when null.</param>
    public OpenTelemetryModel(IModel innerModel, bool? captureMessageContent = null, TimeProvider? timeProvider = null)
        : base(innerModel)
    {
        CaptureMessageContent = captureMessageContent ?? StrandsTelemetry.CaptureMessageContentByDefault;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Whether spans carry message content.</summary>
    public bool CaptureMessageContent { get; }

    /// <inheritdoc />
    public override IAsyncEnumerable<StreamEvent> StreamAsync(
        IReadOnlyList<Message> messages,
        IReadOnlyList<ToolSpecification>? toolSpecs = null,
        IReadOnlyList<SystemContentBlock>? systemPrompt = null,
        ToolChoice? toolChoice = null,
        CancellationToken cancellationToken = default)
    {
        var stream = InnerModel.StreamAsync(messages, toolSpecs, systemPrompt, toolChoice, cancellationToken);
        if (!GenAITelemetry.IsEnabled)
        {
            return stream;
        }

        var capture = CaptureMessageContent && GenAITelemetry.Source.HasListeners();
        return ObserveAsync(stream, capture ? messages : null, systemPrompt, cancellationToken);
    }

    private IAsyncEnumerable<StreamEvent> ObserveAsync(
        IAsyncEnumerable<StreamEvent> stream,
        IReadOnlyList<Message>? input,
        IReadOnlyList<SystemContentBlock>? systemPrompt,
        CancellationToken cancellationToken)
    {
        var model = GenAITelemetry.Describe(InnerModel);
        var config = InnerModel.Config;
        var start = 0L;
        StreamProcessor? output = null;
        StopReason? stopReason = null;
        TokenUsage? usage = null;
        return SpanObservation.ObserveAsync(
            stream,
            () =>
            {
                start = _timeProvider.GetTimestamp();
                var activity = GenAITelemetry.StartChat(model, config);
                if (activity is { IsAllDataRequested: true } && input is not null)
                {
                    activity.SetTag(GenAITelemetry.Names.InputMessages, GenAIContent.Messages(input));
                    if (systemPrompt is { Count: > 0 })
                    {
                        activity.SetTag(GenAITelemetry.Names.SystemInstructions, GenAIContent.SystemInstructions(systemPrompt));
                    }

                    output = new StreamProcessor(_timeProvider);
                    output.Reset();
                }

                return activity;
            },
            streamEvent =>
            {
                if (streamEvent is MessageStopEvent stop)
                {
                    stopReason = stop.StopReason;
                }
                else if (streamEvent is MetadataEvent metadata)
                {
                    usage = metadata.Usage;
                }

                output?.Process(streamEvent);
            },
            (activity, error) =>
            {
                var errorType = error is null ? null : GenAITelemetry.SetError(activity, error);
                GenAITelemetry.SetResponse(activity, stopReason, usage);
                if (activity is not null && output is not null && stopReason is { } reason)
                {
                    activity.SetTag(GenAITelemetry.Names.OutputMessages, GenAIContent.Messages([output.BuildMessage()], reason));
                }

                GenAITelemetry.RecordMetrics(GenAITelemetry.OperationChat, model, _timeProvider.GetElapsedTime(start), usage, errorType);
            },
            cancellationToken);
    }
}
