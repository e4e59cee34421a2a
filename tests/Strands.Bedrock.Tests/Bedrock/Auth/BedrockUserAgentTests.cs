using Strands.Bedrock;
using Xunit;

namespace Strands.Tests.Bedrock.Auth;

public sealed class BedrockUserAgentTests
{
    [Fact]
    public void User_agent_names_library_runtime_os_and_awssdk_core()
    {
        var ua = BedrockUserAgent.Build(null);
        var tokens = ua.Split(' ');

        Assert.Equal(5, tokens.Length);
        Assert.Equal("strands-agents-dotnet/" + BedrockUserAgent.LibraryVersion(), tokens[0]);
        Assert.Equal("lang/dotnet#" + Environment.Version, tokens[1]);
        Assert.Matches("^os/(linux|windows|macos|android|ios|other)$", tokens[2]);
        Assert.Equal("md/awssdk-core#4.1.0.0", tokens[3]);
        Assert.Equal("strands-agents", tokens[4]);
        Assert.DoesNotContain("+", BedrockUserAgent.LibraryVersion(), StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+\.\d+", BedrockUserAgent.LibraryVersion());
    }

    [Fact]
    public void Suffix_is_appended_and_sanitised()
    {
        Assert.EndsWith(" strands-agents my-app/1.2", BedrockUserAgent.Build("  my-app/1.2 "), StringComparison.Ordinal);
        Assert.Equal(BedrockUserAgent.Build(null), BedrockUserAgent.Build("   "));

        var hostile = BedrockUserAgent.Build("app\r\nX-Injected: yes\u00e9");
        Assert.DoesNotContain('\r', hostile);
        Assert.DoesNotContain('\n', hostile);
        Assert.All(hostile, c => Assert.InRange(c, ' ', '~'));
        Assert.EndsWith("app--X-Injected: yes-", hostile, StringComparison.Ordinal);

        Assert.True(BedrockUserAgent.Build(new string('a', 1000)).Length <= BedrockUserAgent.Build(null).Length + 257);
    }

    [Fact]
    public void User_agent_is_a_valid_header_value()
    {
        using var request = new HttpRequestMessage();

        Assert.True(request.Headers.TryAddWithoutValidation(BedrockUserAgent.HeaderName, BedrockUserAgent.Build("suffix/1")));
        Assert.True(request.Headers.UserAgent.Count > 0);
    }
}
