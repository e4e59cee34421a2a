using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strands.Bedrock;
using Strands.Models;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.DependencyInjection;

public class StrandsBedrockServiceCollectionExtensionsTests
{
    private static IConfigurationSection Section(params (string Key, string? Value)[] values)
        => new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Strands:Bedrock:" + v.Key, v.Value)))
            .Build()
            .GetSection("Strands:Bedrock");

    [Fact]
    public async Task Registers_client_model_and_chat_client_from_configuration()
    {
        var services = new ServiceCollection();
        services.AddStrandsBedrock(Section(
            ("ModelId", "us.amazon.nova-pro-v1:0"),
            ("Region", "eu-central-1"),
            ("Endpoint", "https://vpce-123.bedrock-runtime.eu-central-1.vpce.amazonaws.com"),
            ("Temperature", "0.3"),
            ("TopP", "0.8"),
            ("MaxTokens", "2048"),
            ("Streaming", "false"),
            ("StopSequences:0", "END"),
            ("MaxAttempts", "5"),
            ("ReadTimeout", "30")),
            o => o.ConfigureClient = c => c with { BearerToken = "test-token" });
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(CancellationToken.None);
        var client = Assert.IsType<BedrockRuntimeClient>(provider.GetRequiredService<IBedrockRuntimeClient>());
        var model = provider.GetRequiredService<BedrockModel>();
        var chatClient = provider.GetRequiredService<IChatClient>();

        Assert.Equal("eu-central-1", client.Region);
        Assert.Equal(new Uri("https://vpce-123.bedrock-runtime.eu-central-1.vpce.amazonaws.com"), client.Endpoint);
        Assert.Equal(5, client.Options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), client.Options.ReadTimeout);
        Assert.NotNull(client.Options.HttpClient);
        Assert.Same(client, model.Client);
        Assert.Same(model, provider.GetRequiredService<IModel>());
        Assert.Same(model, chatClient.GetService<BedrockModel>());
        Assert.Equal("aws.bedrock", chatClient.GetService<ChatClientMetadata>()!.ProviderName);
        Assert.Equal(
            new BedrockModelConfig { ModelId = "us.amazon.nova-pro-v1:0", Temperature = 0.3, TopP = 0.8, MaxTokens = 2048, Streaming = false, StopSequences = model.Config.StopSequences },
            model.Config);
        Assert.Equal(["END"], model.Config.StopSequences!);
    }

    [Fact]
    public void Configuration_keys_are_read_without_reflection_binding()
    {
        var services = new ServiceCollection();
        services.AddStrandsBedrock(Section(
            ("modelid", "case-insensitive"),
            ("Profile", "dev"),
            ("ConnectTimeout", "00:00:05"),
            ("UseFipsEndpoint", "true"),
            ("HttpClientName", "my-client"),
            ("StopSequences", "ONE")));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<StrandsBedrockOptions>>().Get(Options.DefaultName);

        Assert.Equal("case-insensitive", options.ModelId);
        Assert.Equal("dev", options.Profile);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.True(options.UseFipsEndpoint);
        Assert.Equal("my-client", options.HttpClientName);
        Assert.Equal(["ONE"], options.StopSequences!);
        Assert.True(options.Streaming);
    }

    [Fact]
    public void Registers_from_code_and_keeps_a_client_registered_before()
    {
        var bedrock = new ScriptedBedrockClient();
        var services = new ServiceCollection();
        services.AddSingleton<IBedrockRuntimeClient>(bedrock);
        services.AddStrandsBedrock(o =>
        {
            o.ModelId = "anthropic.claude-test";
            o.MaxTokens = 100;
            o.ConfigureModel = c => c with { Guardrail = new GuardrailConfig { Id = "g1", Version = "DRAFT" } };
        });
        using var provider = services.BuildServiceProvider();

        var model = provider.GetRequiredService<BedrockModel>();

        Assert.Same(bedrock, model.Client);
        Assert.Equal("anthropic.claude-test", model.Config.ModelId);
        Assert.Equal(100, model.Config.MaxTokens);
        Assert.Equal("g1", model.Config.Guardrail!.Id);
    }

    [Fact]
    public async Task The_chat_client_from_the_container_calls_bedrock()
    {
        var bedrock = new ScriptedBedrockClient().Then(ScriptedBedrockClient.TextTurn("Hello from the container"));
        var services = new ServiceCollection();
        services.AddSingleton<IBedrockRuntimeClient>(bedrock);
        services.AddStrandsBedrock(o => o.ModelId = "m-1");
        using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        Assert.Equal("Hello from the container", response.Text);
        Assert.True(bedrock.StreamRequests.TryDequeue(out var request));
        Assert.Equal("m-1", request.ModelId);
    }

    [Fact]
    public async Task Keyed_registrations_live_side_by_side()
    {
        var services = new ServiceCollection();
        services.AddKeyedStrandsBedrock("fast", o =>
        {
            o.ModelId = "amazon.nova-micro-v1:0";
            o.Region = "us-east-1";
            o.ConfigureClient = c => c with { BearerToken = "t" };
        });
        services.AddKeyedStrandsBedrock("smart", Section(("ModelId", "anthropic.claude-opus"), ("Region", "us-west-2")), o => o.ConfigureClient = c => c with { BearerToken = "t" });
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(CancellationToken.None);
        var fast = provider.GetRequiredKeyedService<BedrockModel>("fast");
        var smart = provider.GetRequiredKeyedService<BedrockModel>("smart");

        Assert.Equal("amazon.nova-micro-v1:0", fast.Config.ModelId);
        Assert.Equal("anthropic.claude-opus", smart.Config.ModelId);
        Assert.Equal("us-east-1", fast.Region);
        Assert.Equal("us-west-2", smart.Region);
        Assert.Same(smart, provider.GetRequiredKeyedService<IModel>("smart"));
        Assert.Same(fast, provider.GetRequiredKeyedService<IChatClient>("fast").GetService<BedrockModel>());
        Assert.Null(provider.GetService<BedrockModel>());
    }

    [Fact]
    public async Task Invalid_configuration_fails_at_start_naming_the_key()
    {
        var services = new ServiceCollection();
        services.AddStrandsBedrock(Section(("Temperature", "3"), ("MaxTokens", "lots"), ("Endpoint", "not a uri")));
        using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () => await provider.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(CancellationToken.None));

        Assert.Contains("Strands:Bedrock:Temperature must be between 0 and 1, got 3.", error.Failures);
        Assert.Contains("Strands:Bedrock:MaxTokens must be an integer, got 'lots'.", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("Strands:Bedrock:Endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_code_options_fail_at_start_naming_the_property()
    {
        var services = new ServiceCollection();
        services.AddKeyedStrandsBedrock("k", o =>
        {
            o.ModelId = " ";
            o.Region = "Not A Region";
            o.ConfigureModel = c => c with { Reasoning = new ReasoningConfig { BudgetTokens = 10 } };
        });
        using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () => await provider.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(CancellationToken.None));

        Assert.Contains(error.Failures, f => f.StartsWith("StrandsBedrockOptions.ModelId", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("StrandsBedrockOptions.Region", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logger_factory_comes_from_the_container()
    {
        var provider = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton<IBedrockRuntimeClient>(new ScriptedBedrockClient().Then(ScriptedBedrockClient.TextTurn("ok")));
        services.AddStrandsBedrock();
        using var container = services.BuildServiceProvider();

        var model = container.GetRequiredService<BedrockModel>();
        await model.AsIChatClient().GetResponseAsync("hi");

        Assert.Contains(provider.Entries, e => e.Category == typeof(BedrockModel).FullName && e.Message.Contains("invoking model", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_go_through_the_named_http_client_of_the_factory()
    {
        var handler = new RecordingHandler("""
            {"output":{"message":{"role":"assistant","content":[{"text":"Through the factory"}]}},"stopReason":"end_turn",
             "usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3},"metrics":{"latencyMs":4}}
            """);
        var services = new ServiceCollection();
        services.AddStrandsBedrock(o =>
        {
            o.ModelId = "amazon.nova-lite-v1:0";
            o.Region = "us-east-1";
            o.Streaming = false;
            o.ConfigureClient = c => c with { BearerToken = "test-token" };
        });
        services.AddHttpClient(StrandsBedrockOptions.DefaultHttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        Assert.Equal("Through the factory", response.Text);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-lite-v1:0/converse", request.Uri);
        Assert.Equal("Bearer test-token", request.Authorization);
    }

    private sealed class RecordingHandler(string body) : HttpMessageHandler
    {
        public ConcurrentQueue<(string Uri, string? Authorization)> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Enqueue((Uri.UnescapeDataString(request.RequestUri!.AbsoluteUri), request.Headers.Authorization?.ToString()));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => owner.Entries.Enqueue((category, formatter(state, exception)));
        }
    }
}
