using Strands.ChatClients;
using Strands.Models;

namespace Microsoft.Extensions.AI;

/// <summary>Bridges between Strands models and Microsoft.Extensions.AI chat clients, both ways.</summary>
public static class StrandsChatClientExtensions
{
    /// <summary>
    /// Views a <see cref="BedrockModel"/> as an <see cref="IChatClient"/>, for <c>ChatClientBuilder</c> pipelines
    /// (function invocation, caching, OpenTelemetry) and Microsoft Agent Framework agents.
    /// </summary>
    /// <param name="model">The model. The chat client does not dispose it.</param>
    /// <returns>
    /// A thread-safe chat client. <see cref="ChatOptions"/> apply per call on top of the model's configuration:
    /// model id, max output tokens, temperature, top-p, stop sequences, tools and tool mode, reasoning effort (as a
    /// thinking budget), and top-k plus <see cref="ChatOptions.AdditionalProperties"/> as additional model request
    /// fields. <see cref="ChatOptions.RawRepresentationFactory"/> may return a <see cref="BedrockModelConfig"/> to use
    /// instead of the model's. Streaming updates share one response id; usage arrives as <see cref="UsageContent"/>,
    /// reasoning as <see cref="TextReasoningContent"/> (its signature, or base64 redacted reasoning, in
    /// <see cref="TextReasoningContent.ProtectedData"/>). <c>GetService&lt;ChatClientMetadata&gt;()</c> names the
    /// provider <c>aws.bedrock</c>.
    /// </returns>
    public static IChatClient AsIChatClient(this BedrockModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new BedrockChatClient(model);
    }

    /// <summary>
    /// Views any <see cref="IChatClient"/> (OpenAI, Ollama, …) as a Strands <see cref="IModel"/>, so that an
    /// <c>Agent</c> runs on it. The agent offers its tools as declarations and runs them itself, so function invocation
    /// in the client's pipeline, if any, passes the calls through.
    /// </summary>
    /// <param name="chatClient">The client. The model does not dispose it.</param>
    /// <param name="config">The configuration; the client's default model when null.</param>
    /// <returns>The model.</returns>
    public static ChatClientModel AsStrandsModel(this IChatClient chatClient, ChatClientModelConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        return new ChatClientModel(chatClient, config);
    }
}
