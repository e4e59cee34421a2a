using System.ComponentModel;
using Strands.Agents;
using Strands.Tools;

namespace Strands.Samples;

// <snippet:runtime-config-tools>
internal static class ConfigTools
{
    [Tool, Description("Update the model id of the agent.")]
    public static string UpdateModelId([Description("Bedrock model id to use.")] string modelId, Agent agent)
    {
        Console.WriteLine($"Updating model_id to {modelId}");
        agent.Model.UpdateConfig(c => c with { ModelId = modelId });
        return $"Model updated to {modelId}";
    }

    [Tool, Description("Update the temperature of the agent.")]
    public static string UpdateTemperature([Description("Temperature value for the model to use.")] double temperature, Agent agent)
    {
        Console.WriteLine($"Updating Temperature to {temperature}");
        agent.Model.UpdateConfig(c => c with { Temperature = temperature });
        return $"Temperature updated to {temperature}";
    }
}
// </snippet:runtime-config-tools>
