using Strands.Bedrock;
using Strands.Content;

namespace Strands.Bedrock.Testing.Tests.Support;

/// <summary>Creates the fake over loopback HTTP ("server") or in process ("handler"), so each test runs on both.</summary>
public sealed class Fake : IAsyncDisposable
{
    private readonly FakeBedrockServer? _server;

    private Fake(IFakeBedrock bedrock, FakeBedrockServer? server)
    {
        Bedrock = bedrock;
        _server = server;
    }

    public static TheoryData<string> Transports => ["server", "handler"];

    public IFakeBedrock Bedrock { get; }

    public static async Task<Fake> StartAsync(string transport, FakeBedrockServerOptions? options = null) => transport switch
    {
        "server" => await StartServerAsync(options),
        "handler" => new Fake(new FakeBedrockHandler(options), null),
        _ => throw new ArgumentOutOfRangeException(nameof(transport)),
    };

    private static async Task<Fake> StartServerAsync(FakeBedrockServerOptions? options)
    {
        var server = await FakeBedrockServer.StartAsync(options);
        return new Fake(server, server);
    }

    public BedrockRuntimeClient Client(int maxAttempts = 1) => Bedrock.CreateClient(maxAttempts);

    public BedrockRuntimeClient Client(BedrockClientOptions options) => new(options);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        else
        {
            ((FakeBedrockHandler)Bedrock).Dispose();
        }
    }

    public static ConverseRequest Converse(string modelId = "us.amazon.nova-pro-v1:0", string prompt = "Hi") =>
        new() { ModelId = modelId, Messages = [Message.User(prompt)] };

    public static ConverseStreamRequest Stream(string modelId = "us.amazon.nova-pro-v1:0", string prompt = "Hi") =>
        new() { ModelId = modelId, Messages = [Message.User(prompt)] };

    public static async Task<List<StreamEvent>> CollectAsync(IAsyncEnumerable<StreamEvent> events, CancellationToken cancellationToken = default)
    {
        var list = new List<StreamEvent>();
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            list.Add(e);
        }

        return list;
    }

    /// <summary>Collects events until the stream throws; returns both.</summary>
    public static async Task<(List<StreamEvent> Events, Exception? Error)> CollectUntilErrorAsync(IAsyncEnumerable<StreamEvent> events)
    {
        var list = new List<StreamEvent>();
        try
        {
            await foreach (var e in events)
            {
                list.Add(e);
            }
        }
        catch (Exception ex)
        {
            return (list, ex);
        }

        return (list, null);
    }
}
