using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Strands.Bedrock.Testing.Internal;

namespace Strands.Bedrock.Testing;

/// <summary>
/// A fake Amazon Bedrock Runtime on a loopback port: a real Kestrel HTTP server that serves
/// <c>POST /model/{modelId}/converse</c> (JSON) and <c>/converse-stream</c> (event-stream frames) from a script,
/// verifies SigV4 signatures or bearer tokens, and records every request. Point a <see cref="BedrockRuntimeClient"/>
/// at it with <see cref="CreateClientOptions"/> and the whole stack — HTTP, signing, JSON, frames — runs for real.
/// </summary>
/// <example>
/// <code>
/// await using var server = await FakeBedrockServer.StartAsync();
/// server.Enqueue(FakeResponse.Text("Hello!"));
/// using var client = server.CreateClient();
/// var response = await client.ConverseAsync(new ConverseRequest { ModelId = "m", Messages = [Message.User("Hi")] });
/// </code>
/// </example>
public sealed class FakeBedrockServer : IFakeBedrock, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeBedrockEngine _engine;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    private FakeBedrockServer(WebApplication app, FakeBedrockEngine engine)
    {
        _app = app;
        _engine = engine;
    }

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <inheritdoc />
    public FakeBedrockServerOptions Options => _engine.Options;

    /// <inheritdoc />
    public IReadOnlyList<RecordedRequest> Requests => _engine.Requests;

    /// <inheritdoc />
    public int PendingResponses => _engine.PendingResponses;

    /// <summary>Starts a server on 127.0.0.1 with a free port.</summary>
    /// <param name="options">Authentication and defaults; null for <see cref="FakeBedrockServerOptions"/>' defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    public static async Task<FakeBedrockServer> StartAsync(FakeBedrockServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var engine = new FakeBedrockEngine(options ?? new FakeBedrockServerOptions());
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(FakeBedrockServer).Assembly.GetName().Name });

        // No logging providers, no console lifetime: the fake makes no noise and installs no signal handlers.
        builder.Services.AddSingleton<IHostLifetime, SilentHostLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = engine.Options.MaxRequestBodyBytes;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
                listen.Protocols = engine.Options.UseHttp2 ? HttpProtocols.Http2 : HttpProtocols.Http1);
        });

        var app = builder.Build();
        var server = new FakeBedrockServer(app, engine);
        app.Run(server.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            server.Endpoint = new Uri($"http://127.0.0.1:{new Uri(address).Port}/");
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public void Enqueue(params FakeResponse[] responses) => _engine.Enqueue(responses);

    /// <inheritdoc />
    public void RespondWith(Func<RecordedRequest, FakeResponse>? responder) => _engine.RespondWith(responder);

    /// <inheritdoc />
    public void Reset() => _engine.Reset();

    /// <inheritdoc />
    public BedrockClientOptions CreateClientOptions(int maxAttempts = BedrockClientOptions.DefaultMaxAttempts) =>
        FakeClientOptions.For(Options, maxAttempts) with { EndpointUrl = Endpoint };

    /// <inheritdoc />
    public BedrockRuntimeClient CreateClient(int maxAttempts = BedrockClientOptions.DefaultMaxAttempts) => new(CreateClientOptions(maxAttempts));

    /// <summary>Stops the server: responses still streaming are cut off, and the port is released.</summary>
    /// <returns>A task that completes when the server stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Connections that did not close in time were aborted.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await context.Request.Body.CopyToAsync(buffer, gone.Token).ConfigureAwait(false);
            body = buffer.ToArray();
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                headers.Add(new(name, value ?? ""));
            }
        }

        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var sink = new HttpContextSink(context, gone.Token);
        await _engine.HandleAsync(context.Request.Method, rawTarget, headers, body, sink).ConfigureAwait(false);
        if (_stopping.IsCancellationRequested)
        {
            // The server is stopping: cut the response off rather than end it as if it were complete.
            context.Abort();
            return;
        }

        if (sink.EndedPrematurely)
        {
            // Makes Kestrel flush what was written and close the connection without ending the body.
            context.Response.Headers.Connection = "close";
            throw new IOException("FakeResponse.DropConnectionAfterBytes: the fake Bedrock dropped the connection as scripted.");
        }
    }

    /// <summary>A host lifetime that neither logs nor listens for Ctrl+C or SIGTERM.</summary>
    private sealed class SilentHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
