using Strands.Bedrock.Testing.Tests.Support;
using Strands.Content;

namespace Strands.Bedrock.Testing.Tests;

/// <summary>The fake rejects what Amazon Bedrock rejects, in the service's words, unless a test opts out.</summary>
public class ValidationTests
{
    private static ConverseRequest Valid() => new() { ModelId = "us.amazon.nova-pro-v1:0", Messages = [Message.User("Hi")] };

    public static TheoryData<string, string> Violations => new()
    {
        { "assistant first", "A conversation must start with a user message. Try again with a conversation that starts with a user message." },
        { "two user messages", "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again." },
        { "blank text", "The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to the text field, and try again." },
        { "empty message", "The content field in the Message object at messages.0 is empty. Add a ContentBlock object to the content field and try again." },
        { "unanswered tool use", "Expected toolResult blocks at messages.2.content for the following Ids: t1, t2" },
        { "orphan tool result", "The number of toolResult blocks at messages.0.content exceeds the number of toolUse blocks of previous turn." },
        { "no tools", "1 validation error detected: Value '[]' at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1" },
        { "tool name", "1 validation error detected: Value 'get weather' at 'toolConfig.tools.0.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$" },
        { "temperature", "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1" },
        { "max tokens", "1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1" },
        { "guardrail id", "1 validation error detected: Value 'my-guardrail' at 'guardrailConfig.guardrailIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(|([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))$" },
    };

    private static ConverseRequest Breaking(string rule)
    {
        var toolUse = (string id) => new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = id, Name = "echo", Input = JsonValues.EmptyObject } };
        var tool = (string name) => new Tool { ToolSpec = new ToolSpecification { Name = name, InputSchema = new ToolInputSchema { Json = JsonValues.EmptyObject } } };
        return rule switch
        {
            "assistant first" => Valid() with { Messages = [Message.Assistant("Hello"), Message.User("Hi")] },
            "two user messages" => Valid() with { Messages = [Message.User("Hi"), Message.User("Again")] },
            "blank text" => Valid() with { Messages = [Message.User(" \n")] },
            "empty message" => Valid() with { Messages = [new Message { Role = ConversationRole.User, Content = [] }] },
            "unanswered tool use" => Valid() with { Messages = [Message.User("Hi"), Message.Assistant(toolUse("t1"), toolUse("t2")), Message.User("And?")] },
            "orphan tool result" => Valid() with { Messages = [Message.User(new ContentBlock { ToolResult = new ToolResultBlock { ToolUseId = "t1", Content = [ToolResultContentBlock.FromText("x")] } })] },
            "no tools" => Valid() with { ToolConfig = new ToolConfiguration { Tools = [] } },
            "tool name" => Valid() with { ToolConfig = new ToolConfiguration { Tools = [tool("get weather")] } },
            "temperature" => Valid() with { InferenceConfig = new InferenceConfiguration { Temperature = 1.5f } },
            "max tokens" => Valid() with { InferenceConfig = new InferenceConfiguration { MaxTokens = 0 } },
            _ => Valid() with { GuardrailConfig = new GuardrailConfiguration { GuardrailIdentifier = "my-guardrail", GuardrailVersion = "1" } },
        };
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_request_Bedrock_rejects_gets_400_ValidationException_in_the_services_words(string rule, string message)
    {
        await using var fake = await Fake.StartAsync("handler");
        fake.Bedrock.Enqueue(FakeResponse.Text("never"));
        using var client = fake.Client();

        var error = await Assert.ThrowsAsync<ValidationException>(() => client.ConverseAsync(Breaking(rule)));

        Assert.Equal(message, error.Message);
        Assert.Equal(400, fake.Bedrock.Requests.Single().StatusCode);
        Assert.Equal(1, fake.Bedrock.PendingResponses);
    }

    [Fact]
    public async Task A_test_can_opt_out_and_send_what_the_service_would_reject()
    {
        await using var fake = await Fake.StartAsync("server", new FakeBedrockServerOptions { ValidateRequests = false });
        fake.Bedrock.Enqueue(FakeResponse.Text("Accepted anyway."));
        using var client = fake.Client();

        var response = await client.ConverseAsync(Breaking("two user messages"));

        Assert.Equal("Accepted anyway.", response.Output.Message!.Content[0].Text);
    }

    [Fact]
    public void ConversationRules_describe_and_validate_any_history()
    {
        IReadOnlyList<Message> history = [Message.User("Hi"), Message.User("Again")];

        Assert.Equal("user[text] user[text]", ConversationRules.Describe(history));
        var error = Assert.Throws<InvalidOperationException>(() => ConversationRules.Validate(history));
        Assert.Contains("must alternate between user and assistant roles", error.Message, StringComparison.Ordinal);
        Assert.Null(ConversationRules.FindViolation([Message.User("Hi"), Message.Assistant("Hello")]));
    }

    [Fact]
    public void The_options_print_no_secret()
    {
        var options = new FakeBedrockServerOptions { BearerToken = "canary-bearer-token", Credentials = new Amazon.Runtime.BasicAWSCredentials("AKIDCANARY", "canary-secret-key") };

        var text = options.ToString();

        Assert.DoesNotContain("canary", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("BearerToken = <redacted>", text, StringComparison.Ordinal);
    }
}
