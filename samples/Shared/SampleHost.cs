using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strands.Bedrock;
using Strands.Bedrock.Testing;
using Strands.Models;

namespace Strands.Samples;

/// <summary>
/// The offline/live plumbing every sample shares (linked into each sample by samples/Directory.Build.props).
/// </summary>
/// <remarks>
/// Offline, the default, it starts a <see cref="FakeBedrockServer"/> on loopback that plays the sample's script, and
/// points this process's AWS environment (<c>AWS_ENDPOINT_URL_BEDROCK_RUNTIME</c>, <c>AWS_REGION</c> and the
/// <c>AWS_ACCESS_KEY_ID</c> family) at it. So the sample's own code is exactly the code that talks to Amazon Bedrock:
/// only the environment differs. With <c>--live</c> it changes nothing, and the default AWS credential chain, region
/// and endpoint settings apply.
/// </remarks>
internal sealed class SampleHost : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly FakeBedrockServer? _server;
    private readonly Dictionary<string, string> _lastShown = [];
    private int _shown;

    private SampleHost(FakeBedrockServer? server) => _server = server;

    /// <summary>True with <c>--live</c>: requests go to Amazon Bedrock.</summary>
    public bool IsLive => _server is null;

    /// <summary>
    /// Runs a sample. With <c>--live</c>, the errors a user meets against Amazon Bedrock (no credentials, no access,
    /// a model id the region does not serve, throttling, no network) end it with one line on stderr, the error and a
    /// hint, and exit code 1. Offline they are bugs of the sample's script, so they stay unhandled, stack trace and all.
    /// </summary>
    public static async Task RunAsync(string[] args, Func<Task> sample)
    {
        try
        {
            await sample();
        }
        catch (Exception ex) when (args.Contains("--live") && Hint(ex) is { } hint)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"{Describe(ex)} Hint: {hint}");
            Environment.ExitCode = 1;
        }
    }

    /// <summary>Starts the sample; offline, the model answers each request with the next response of the script.</summary>
    public static Task<SampleHost> StartAsync(string[] args, params FakeResponse[] script) =>
        StartAsync(args, null, Turns(script));

    /// <summary>Starts the sample with a fake that expects these options (credentials, region) of the sample's code.</summary>
    public static Task<SampleHost> StartAsync(string[] args, FakeBedrockServerOptions options, params FakeResponse[] script) =>
        StartAsync(args, options, Turns(script));

    /// <summary>Starts the sample with scripted turns that may read the request, e.g. to answer with a tool's result.</summary>
    public static Task<SampleHost> StartAsync(string[] args, params Func<RecordedRequest, FakeResponse>[] script) =>
        StartAsync(args, null, script);

    private static async Task<SampleHost> StartAsync(string[] args, FakeBedrockServerOptions? options, Func<RecordedRequest, FakeResponse>[] script)
    {
        if (args.Contains("--live"))
        {
            Console.WriteLine("Live: calling Amazon Bedrock with the default AWS credential chain, region and endpoint settings.");
            return new SampleHost(null);
        }

        Console.WriteLine("Offline: the model's responses are scripted by a local FakeBedrockServer (run with --live to call Amazon Bedrock).");
        var server = await FakeBedrockServer.StartAsync(options);
        var turn = -1;
        server.RespondWith(request =>
        {
            var next = Interlocked.Increment(ref turn);
            return next < script.Length
                ? script[next](request)
                : FakeResponse.Error("SampleScriptExhausted", 501, $"The sample's script has {script.Length} responses; request {next + 1} has none.");
        });

        // The same variables a user sets to point any AWS SDK at another endpoint; no sample code path changes.
        var credentials = await server.Options.Credentials!.GetCredentialsAsync();
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", server.Endpoint.ToString());
        Environment.SetEnvironmentVariable("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", null);
        Environment.SetEnvironmentVariable("AWS_REGION", server.Options.Region);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", credentials.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", credentials.SecretKey);
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", credentials.UseToken ? credentials.Token : null);
        Environment.SetEnvironmentVariable("AWS_BEARER_TOKEN_BEDROCK", null);
        return new SampleHost(server);
    }

    /// <summary>The text of the last tool result in a request: what a scripted answer can quote.</summary>
    public static string LastToolResult(RecordedRequest request)
    {
        var messages = (request.ConverseStreamRequest?.Messages ?? request.ConverseRequest?.Messages)!;
        return messages[^1].Content.Last(block => block.ToolResult is not null).ToolResult!.Content[0].Text ?? "";
    }

    /// <summary>
    /// Offline, prints one line per request the fake received since the last call: operation, model id, how it was
    /// authenticated, the status answered, and the named top-level members of the JSON body (long strings and deep
    /// objects elided; "as in the request before" when unchanged). Live, prints nothing: the requests went to Amazon Bedrock.
    /// </summary>
    public void ShowRequests(params string[] members)
    {
        if (_server is null)
        {
            return;
        }

        var requests = _server.Requests;
        for (; _shown < requests.Count; _shown++)
        {
            var request = requests[_shown];
            var status = request.ErrorType is null ? $"{request.StatusCode}" : $"{request.StatusCode} {request.ErrorType}";
            Console.WriteLine($"  -> request {_shown + 1}: {request.Operation} {request.ModelId} ({Auth(request)}) => {status}");
            var body = JsonNode.Parse(request.Body)!.AsObject();
            foreach (var member in members)
            {
                var shown = body[member] is { } value ? Abbreviate(value, 0).ToJsonString(Readable) : "(not sent)";
                var previous = _lastShown.GetValueOrDefault(member);
                _lastShown[member] = shown;
                Console.WriteLine($"     {member}: {(shown == previous ? "(as in the request before)" : shown)}");
            }
        }
    }

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;

    // What to do about the errors of a live run; null for anything else (a bug, which keeps its stack trace).
    private static string? Hint(Exception ex) => ex switch
    {
        BedrockCredentialsException =>
            "configure AWS credentials (`aws configure`, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run without --live to use the offline fake.",
        AccessDeniedException =>
            "the IAM identity needs bedrock:InvokeModelWithResponseStream and bedrock:InvokeModel, and access to the model in the Bedrock console of this region (README.md, \"Using real Bedrock\").",
        ValidationException or ResourceNotFoundException =>
            "check the model id and the region: the samples use the page's us.* inference profiles, served from US regions (AWS_REGION=us-west-2 or us-east-1).",
        ModelThrottledException =>
            "Bedrock still throttled after the retries: wait a minute, or check the model's on-demand quotas in Service Quotas.",
        BedrockRuntimeException =>
            "Amazon Bedrock refused the request; see README.md, \"Using real Bedrock\".",
        HttpRequestException or TimeoutException or IncompleteResponseException =>
            "check the network, any proxy (HTTPS_PROXY), AWS_REGION and AWS_ENDPOINT_URL_BEDROCK_RUNTIME.",
        Strands.Sessions.SessionException =>
            "the session store failed: check the bucket, its region and your s3:GetObject/PutObject/ListBucket permissions (or the storage directory).",
        Strands.Mcp.McpToolProviderException =>
            "the MCP server did not start: check its command and arguments, and run it by hand to see its errors.",
        _ => null,
    };

    // One line: the error's name (the service's error code for Bedrock errors) and its message, with the notes a
    // BedrockModel adds on their own lines ("└ Model id: …") gathered in parentheses.
    private static string Describe(Exception ex)
    {
        var name = ex is BedrockRuntimeException bedrock ? bedrock.ErrorCode : ex.GetType().Name;
        var lines = ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = string.Join(" ", lines.Where(line => !line.StartsWith('└')));
        var notes = lines.Where(line => line.StartsWith('└')).Select(line => line.TrimStart('└', ' ')).ToList();
        return notes.Count == 0 ? $"{name}: {text}" : $"{name}: {text} ({string.Join(", ", notes)})";
    }

    private static Func<RecordedRequest, FakeResponse>[] Turns(FakeResponse[] script) =>
        [.. script.Select(response => (Func<RecordedRequest, FakeResponse>)(_ => response))];

    // "SigV4 AKIDEXAMPLE us-west-2" from "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-west-2/bedrock/aws4_request, …".
    private static string Auth(RecordedRequest request)
    {
        var authorization = request.Header("Authorization") ?? "";
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return "Bedrock API key";
        }

        var scope = authorization.Split("Credential=", 2) is [_, var rest] ? rest.Split(',')[0].Split('/') : [];
        return scope.Length >= 3 ? $"SigV4 {scope[0]} {scope[2]}" : "unsigned";
    }

    // Keeps printed requests readable: strings past 60 characters and containers deeper than 4 levels are elided.
    private static JsonNode Abbreviate(JsonNode node, int depth) => node switch
    {
        JsonObject when depth > 4 => JsonValue.Create("{...}")!,
        JsonArray when depth > 4 => JsonValue.Create("[...]")!,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Abbreviate(p.Value, depth + 1)))),
        JsonArray array => new JsonArray([.. array.Select(item => item is null ? null : Abbreviate(item, depth + 1))]),
        JsonValue value when value.TryGetValue<string>(out var text) && text.Length > 60 => JsonValue.Create($"{text[..40]}... ({text.Length} chars)")!,
        _ => node.DeepClone(),
    };
}
