using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Strands.Content;
using Strands.Sessions;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Sessions;

/// <summary>What the S3 store does beyond the shared contract: Python's key layout under a prefix, and endpoint resolution.</summary>
[Collection(S3ServerGroup.Name)]
public sealed class S3SessionRepositoryTests(S3TestServer server)
{
    [Fact]
    public async Task Keys_follow_Pythons_layout_under_the_prefix_with_the_same_bytes_as_the_file_store()
    {
        var prefix = $"/tenants/{Guid.NewGuid():N}/";
        using var repository = server.NewRepository(prefix);
        var manager = new RepositorySessionManager("chat-1", repository);
        var agent = RepositorySessionManagerTests.NewAgent(manager, new ScriptedModel(Turn.Text("hi")), agentId: "helper");
        await agent.InvokeAsync("hello");

        using var client = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config { ServiceURL = server.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3TestServer.Bucket, Prefix = prefix.Trim('/') + "/" });
        var root = prefix.Trim('/');
        Assert.Equal(prefix.Trim('/'), repository.Prefix);
        Assert.Equal(
            [
                $"{root}/session_chat-1/agents/agent_helper/agent.json",
                $"{root}/session_chat-1/agents/agent_helper/messages/message_0.json",
                $"{root}/session_chat-1/agents/agent_helper/messages/message_1.json",
                $"{root}/session_chat-1/session.json",
            ],
            listed.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal));

        using var response = await client.GetObjectAsync(S3TestServer.Bucket, $"{root}/session_chat-1/agents/agent_helper/messages/message_0.json");
        using var body = new MemoryStream();
        await response.ResponseStream.CopyToAsync(body);
        var stored = await repository.ReadMessageAsync("chat-1", "helper", 0);
        Assert.Equal(SessionJson.Serialize(stored!), body.ToArray());
        Assert.Equal("application/json", response.Headers.ContentType);
    }

    [Fact]
    public async Task The_endpoint_comes_from_AWS_ENDPOINT_URL_S3_and_an_IP_address_needs_no_path_style_setting()
    {
        var env = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_S3"] = server.Endpoint.ToString() };
        var options = server.Options with { EndpointUrl = null, ForcePathStyle = false };
        using var client = S3SessionRepository.CreateClient(options, name => env.GetValueOrDefault(name));
        var repository = new S3SessionRepository(client, S3TestServer.Bucket, $"env/{Guid.NewGuid():N}");

        await repository.CreateSessionAsync(new Session { SessionId = "s" });

        Assert.NotNull(await repository.ReadSessionAsync("s"));
    }

    [Fact]
    public async Task Wrong_credentials_are_a_session_error_that_does_not_reveal_the_secret()
    {
        using var repository = new S3SessionRepository(S3TestServer.Bucket, "x", server.Options with { Credentials = new BasicAWSCredentials("S3RVER", "not-the-secret-7f3a") });

        var error = await Assert.ThrowsAsync<SessionException>(() => repository.ReadSessionAsync("s"));

        Assert.IsAssignableFrom<AmazonServiceException>(error.InnerException);
        Assert.DoesNotContain("not-the-secret-7f3a", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_a_session_error_not_a_hang()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var repository = new S3SessionRepository(S3TestServer.Bucket, "x", server.Options with { EndpointUrl = new Uri($"http://127.0.0.1:{port}") });

        var error = await Assert.ThrowsAsync<SessionException>(() => repository.CreateMessageAsync("s", "a", new SessionMessage { Message = Message.User("m"), MessageId = 0 }).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task Deleting_a_session_removes_every_object_under_it()
    {
        using var repository = server.NewRepository();
        await repository.CreateSessionAsync(new Session { SessionId = "gone" });
        await repository.CreateSessionAsync(new Session { SessionId = "kept" });
        await repository.CreateAgentAsync("gone", new SessionAgent { AgentId = "a" });
        for (var i = 0; i < 3; i++)
        {
            await repository.CreateMessageAsync("gone", "a", new SessionMessage { Message = Message.User($"m{i}"), MessageId = i });
        }

        await repository.DeleteSessionAsync("gone");

        Assert.Null(await repository.ReadSessionAsync("gone"));
        Assert.Null(await repository.ReadAgentAsync("gone", "a"));
        Assert.Empty(await repository.ListMessagesAsync("gone", "a"));
        Assert.NotNull(await repository.ReadSessionAsync("kept"));
        await Assert.ThrowsAsync<SessionException>(() => repository.DeleteSessionAsync("gone"));
    }
}

/// <summary>The S3 endpoint is resolved by the rules of the Bedrock client, with S3's own variable.</summary>
public sealed class S3EndpointResolverTests
{
    [Fact]
    public void The_explicit_endpoint_wins_then_the_S3_variable_then_the_global_one()
    {
        var env = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_S3"] = "http://s3.local:9000", ["AWS_ENDPOINT_URL"] = "http://all.local" };
        Assert.Equal(new Uri("http://explicit:1"), S3EndpointResolver.Resolve(new Uri("http://explicit:1"), env.GetValueOrDefault));
        Assert.Equal(new Uri("http://s3.local:9000"), S3EndpointResolver.Resolve(null, env.GetValueOrDefault));
        env.Remove("AWS_ENDPOINT_URL_S3");
        Assert.Equal(new Uri("http://all.local"), S3EndpointResolver.Resolve(null, env.GetValueOrDefault));
        env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
        Assert.Null(S3EndpointResolver.Resolve(null, env.GetValueOrDefault));
    }

    [Fact]
    public void A_bad_endpoint_is_refused_without_echoing_it()
    {
        var env = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_S3"] = "http://user:hunter2@host" };
        var error = Assert.Throws<InvalidOperationException>(() => S3EndpointResolver.Resolve(null, env.GetValueOrDefault));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => S3EndpointResolver.Resolve(new Uri("ftp://host"), _ => null));
    }

    [Fact]
    public void Without_an_endpoint_the_client_uses_the_resolved_region()
    {
        var env = new Dictionary<string, string?> { ["AWS_REGION"] = "eu-central-1" };
        using var client = S3SessionRepository.CreateClient(new S3SessionRepositoryOptions { Credentials = new AnonymousAWSCredentials() }, env.GetValueOrDefault);
        Assert.Equal("eu-central-1", client.Config.RegionEndpoint.SystemName);

        using var explicitRegion = S3SessionRepository.CreateClient(new S3SessionRepositoryOptions { Region = "ap-south-1", Credentials = new AnonymousAWSCredentials() }, env.GetValueOrDefault);
        Assert.Equal("ap-south-1", explicitRegion.Config.RegionEndpoint.SystemName);
        Assert.Throws<ArgumentException>(() => S3SessionRepository.CreateClient(new S3SessionRepositoryOptions { Region = "bad region!", Credentials = new AnonymousAWSCredentials() }, env.GetValueOrDefault));
    }
}
