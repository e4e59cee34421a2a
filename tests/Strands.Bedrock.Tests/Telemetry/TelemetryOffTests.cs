using System.Diagnostics;
using Strands.Agents;
using Strands.Models;
using Strands.Telemetry;
using Strands.Tests.TestUtilities;
using Strands.Tools;

namespace Strands.Tests.Telemetry;

/// <summary>Runs alone: while it runs nobody else may listen to the process-wide telemetry.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NoListenersGroup
{
    public const string Name = "No telemetry listeners";
}

/// <summary>With nobody listening, the agent creates no span at all.</summary>
[Collection(NoListenersGroup.Name)]
public sealed class TelemetryOffTests
{
    [Fact]
    public async Task Nothing_is_recorded_while_nobody_listens()
    {
        Assert.False(GenAITelemetry.Source.HasListeners());
        var bedrock = new ScriptedBedrockClient()
            .Then(ScriptedBedrockClient.ToolTurn("t1", "probe", "{}"))
            .Then(ScriptedBedrockClient.TextTurn("done"));
        Activity? seenByTool = null;
        var probe = AgentTool.FromMethod(() =>
        {
            seenByTool = Activity.Current;
            return "ok";
        }, name: "probe");
        var agent = new Agent(new BedrockModel(bedrock, new BedrockModelConfig { ModelId = "m" }), new AgentOptions { CallbackHandler = null, Tools = [probe] });

        var result = await agent.InvokeAsync("go");

        Assert.Equal("done", result.ToString());
        Assert.Null(seenByTool);
        Assert.Null(GenAITelemetry.StartChat(GenAITelemetry.Describe(agent.Model), agent.Model.Config));
    }
}
