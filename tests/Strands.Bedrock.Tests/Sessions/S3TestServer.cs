using System.Diagnostics;
using Amazon.Runtime;
using Strands.Sessions;

namespace Strands.Tests.Sessions;

/// <summary>
/// An S3-compatible server (s3rver, from <c>tests/s3-server</c>) on 127.0.0.1, started by the tests themselves: it
/// runs <c>npm ci</c> when the Node project has no <c>node_modules</c> yet, then starts <c>node start.js</c> on a free
/// port with a bucket, and stops it (by closing its standard input) when disposed. It checks SigV4 signatures with the
/// key pair S3RVER / S3RVER and supports conditional writes (<c>If-None-Match: *</c>).
/// </summary>
public sealed class S3TestServer : IAsyncLifetime
{
    /// <summary>The bucket the server starts with.</summary>
    public const string Bucket = "strands-sessions";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private Process? _process;
    private string? _directory;

    /// <summary>The server's endpoint, <c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>What starting the server cost, for the record: npm ci (zero when node_modules existed) and the start.</summary>
    public (TimeSpan Install, TimeSpan Start) Timings { get; private set; }

    /// <summary>Options that reach this server with path-style requests and the server's credentials.</summary>
    public S3SessionRepositoryOptions Options => new()
    {
        EndpointUrl = Endpoint,
        ForcePathStyle = true,
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials("S3RVER", "S3RVER"),
    };

    /// <summary>A store on a prefix of its own, so that tests sharing the server do not see each other's sessions.</summary>
    public S3SessionRepository NewRepository(string? prefix = null) =>
        new(Bucket, prefix ?? $"tests/{Guid.NewGuid():N}", Options);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var project = FindProject();
        var install = Stopwatch.StartNew();
        if (!Directory.Exists(Path.Combine(project, "node_modules", "s3rver")))
        {
            await RunAsync(Npm(), ["ci", "--no-audit", "--no-fund", "--loglevel=error"], project, InstallTimeout);
        }

        install.Stop();
        var start = Stopwatch.StartNew();
        _directory = Directory.CreateTempSubdirectory("strands-s3rver-").FullName;
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = project,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["start.js", "--dir", _directory, "--bucket", Bucket])
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("node did not start.");
        var errors = _process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                throw new InvalidOperationException($"The S3 test server exited before it listened: {await errors}");
            }

            const string Marker = "S3RVER_LISTENING ";
            if (line.StartsWith(Marker, StringComparison.Ordinal))
            {
                Endpoint = new Uri(line[Marker.Length..].Trim());
                break;
            }
        }

        start.Stop();
        Timings = (install.Elapsed, start.Elapsed);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                process.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
            finally
            {
                process.Dispose();
            }
        }

        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The Node project, found by walking up from the test binaries to the repository's <c>tests/s3-server</c>.</summary>
    private static string FindProject()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "s3-server");
            if (File.Exists(Path.Combine(candidate, "package-lock.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/s3-server (with package-lock.json) was not found above " + AppContext.BaseDirectory);
    }

    private static string Npm() => OperatingSystem.IsWindows() ? "npm.cmd" : "npm";

    private static async Task RunAsync(string fileName, string[] arguments, string directory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {await output}{await errors}");
        }
    }
}

/// <summary>The tests that share one <see cref="S3TestServer"/>.</summary>
[CollectionDefinition(Name)]
public sealed class S3ServerGroup : ICollectionFixture<S3TestServer>
{
    /// <summary>The collection name.</summary>
    public const string Name = "S3 test server";
}
