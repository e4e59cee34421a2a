using System.Net;
using Strands.Bedrock;
using Xunit;

namespace Strands.Tests.Bedrock.Errors;

public sealed class BedrockRuntimeExceptionTests
{
    public static TheoryData<BedrockRuntimeException, string, ErrorFault, bool> Modeled => new()
    {
        { new AccessDeniedException(), "AccessDeniedException", ErrorFault.Client, false },
        { new ConflictException(), "ConflictException", ErrorFault.Client, false },
        { new InternalServerException(), "InternalServerException", ErrorFault.Server, true },
        { new ModelErrorException(), "ModelErrorException", ErrorFault.Client, false },
        { new ModelNotReadyException(), "ModelNotReadyException", ErrorFault.Client, true },
        { new ModelStreamErrorException(), "ModelStreamErrorException", ErrorFault.Client, false },
        { new ModelTimeoutException(), "ModelTimeoutException", ErrorFault.Client, false },
        { new ResourceNotFoundException(), "ResourceNotFoundException", ErrorFault.Client, false },
        { new ServiceQuotaExceededException(), "ServiceQuotaExceededException", ErrorFault.Client, false },
        { new ServiceUnavailableException(), "ServiceUnavailableException", ErrorFault.Server, true },
        { new ThrottlingException(), "ThrottlingException", ErrorFault.Client, true },
        { new ValidationException(), "ValidationException", ErrorFault.Client, false },
    };

    [Theory]
    [MemberData(nameof(Modeled))]
    public void Modeled_errors_carry_their_shape_name_fault_and_retryability(BedrockRuntimeException error, string code, ErrorFault fault, bool retryable)
    {
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(code, error.GetType().Name);
        Assert.Equal(fault, error.Fault);
        Assert.Equal(retryable, error.IsRetryable);
        Assert.Null(error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.Message));
    }

    [Fact]
    public void Base_type_derives_fault_and_retryability_from_status_and_code()
    {
        Assert.Equal(ErrorFault.Server, new BedrockRuntimeException("m", "X", HttpStatusCode.BadGateway, null).Fault);
        Assert.True(new BedrockRuntimeException("m", "X", HttpStatusCode.GatewayTimeout, null).IsRetryable);
        Assert.True(new BedrockRuntimeException("m", "X", (HttpStatusCode)429, null).IsRetryable);
        Assert.False(new BedrockRuntimeException("m", "X", HttpStatusCode.NotImplemented, null).IsRetryable);
        Assert.True(new BedrockRuntimeException("m", "RequestTimeoutException", HttpStatusCode.BadRequest, null).IsRetryable);
        Assert.True(new BedrockRuntimeException("m", "TooManyRequestsException", null, null).IsRetryable);
        Assert.Equal(ErrorFault.Unknown, new BedrockRuntimeException("m").Fault);
        Assert.Equal(BedrockRuntimeException.UnknownErrorCode, new BedrockRuntimeException("m", "", null, null).ErrorCode);
    }

    [Fact]
    public void Inner_exception_and_request_id_are_kept()
    {
        var inner = new InvalidOperationException("inner");
        var error = new ThrottlingException("slow down", (HttpStatusCode)429, "rid", inner);

        Assert.Same(inner, error.InnerException);
        Assert.Equal("rid", error.RequestId);
        Assert.Equal((HttpStatusCode)429, error.StatusCode);
    }
}
