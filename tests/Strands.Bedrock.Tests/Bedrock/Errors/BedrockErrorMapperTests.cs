using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Strands.Bedrock;
using Strands.Tests.TestUtilities;
using Xunit;

namespace Strands.Tests.Bedrock.Errors;

public sealed class BedrockErrorMapperTests
{
    private static (HttpStatusCode Status, HttpResponseHeaders Headers, byte[] Body) Served(JsonElement served)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)served.GetProperty("status").GetInt32());
        if (served.TryGetProperty("headers", out var headers))
        {
            foreach (var header in headers.EnumerateObject())
            {
                response.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
            }
        }

        var body = served.TryGetProperty("body", out var b) ? Encoding.UTF8.GetBytes(b.GetRawText()) : [];
        return (response.StatusCode, response.Headers, body);
    }

    private static HttpResponseHeaders Headers(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response.Headers;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Throttling_fixture_maps_header_code_with_suffix_to_ThrottlingException()
    {
        using var fixture = WireFixtures.Document("error-throttling.json");
        var (status, headers, body) = Served(fixture.RootElement.GetProperty("served"));
        var expected = fixture.RootElement.GetProperty("sdkSurfaced");

        var error = BedrockErrorMapper.FromHttpResponse(status, headers, body);

        var throttling = Assert.IsType<ThrottlingException>(error);
        Assert.Equal(expected.GetProperty("name").GetString(), throttling.ErrorCode);
        Assert.Equal(expected.GetProperty("message").GetString(), throttling.Message);
        Assert.Equal((HttpStatusCode)429, throttling.StatusCode);
        Assert.Equal(expected.GetProperty("$metadata").GetProperty("requestId").GetString(), throttling.RequestId);
        Assert.Equal(ErrorFault.Client, throttling.Fault);
        Assert.True(throttling.IsRetryable);
    }

    [Fact]
    public void Validation_fixture_maps_namespaced_type_and_capital_Message()
    {
        using var fixture = WireFixtures.Document("error-other.json");
        var c = fixture.RootElement.GetProperty("validationTypeInBody");
        var (status, headers, body) = Served(c.GetProperty("served"));

        var error = BedrockErrorMapper.FromHttpResponse(status, headers, body);

        var validation = Assert.IsType<ValidationException>(error);
        Assert.Equal("ValidationException", validation.ErrorCode);
        Assert.Equal(c.GetProperty("sdkSurfaced").GetProperty("message").GetString(), validation.Message);
        Assert.Equal(HttpStatusCode.BadRequest, validation.StatusCode);
        Assert.Null(validation.RequestId);
        Assert.False(validation.IsRetryable);
        Assert.Equal(ErrorFault.Client, validation.Fault);
    }

    [Fact]
    public void The_access_denied_fixture_maps_its_header_code_to_AccessDeniedException()
    {
        using var fixture = WireFixtures.Document("error-other.json");
        var c = fixture.RootElement.GetProperty("accessDenied");
        var (status, headers, body) = Served(c.GetProperty("served"));

        var error = BedrockErrorMapper.FromHttpResponse(status, headers, body);

        var denied = Assert.IsType<AccessDeniedException>(error);
        Assert.Equal(c.GetProperty("sdkSurfaced").GetProperty("message").GetString(), denied.Message);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.False(denied.IsRetryable);
    }

    [Fact]
    public void Header_only_error_without_body_still_maps_and_names_the_status()
    {
        var error = BedrockErrorMapper.FromHttpResponse(HttpStatusCode.Forbidden, Headers(("X-Amzn-ErrorType", "AccessDeniedException")), default);

        var denied = Assert.IsType<AccessDeniedException>(error);
        Assert.Contains("403", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_name_is_case_insensitive_and_wins_over_body_code()
    {
        var error = BedrockErrorMapper.FromHttpResponse(
            (HttpStatusCode)429,
            Headers(("X-AMZN-ERRORTYPE", "ModelNotReadyException"), ("X-Amzn-RequestId", "rid-1")),
            Utf8("""{"code":"ValidationException","message":"warming up"}"""));

        var notReady = Assert.IsType<ModelNotReadyException>(error);
        Assert.Equal("warming up", notReady.Message);
        Assert.Equal("rid-1", notReady.RequestId);
        Assert.True(notReady.IsRetryable);
    }

    [Fact]
    public void Body_code_wins_over_type()
    {
        var error = BedrockErrorMapper.FromHttpResponse(
            HttpStatusCode.NotFound,
            Headers(),
            Utf8("""{"__type":"com.amazonaws.bedrockruntime#ValidationException","code":"ResourceNotFoundException","message":"no such model"}"""));

        Assert.IsType<ResourceNotFoundException>(error);
        Assert.Equal("no such model", error.Message);
    }

    [Fact]
    public void Lower_case_message_wins_over_capital_Message()
    {
        var error = BedrockErrorMapper.FromHttpResponse(
            HttpStatusCode.BadRequest, Headers(), Utf8("""{"Message":"capital","__type":"ValidationException","message":"lower"}"""));

        Assert.Equal("lower", error.Message);
    }

    [Fact]
    public void ModelError_members_are_read_from_the_body()
    {
        var error = BedrockErrorMapper.FromHttpResponse(
            (HttpStatusCode)424,
            Headers(("x-amzn-ErrorType", "ModelErrorException:http://internal.amazon.com/coral/com.amazon.bedrock/")),
            Utf8("""{"message":"The model failed.","originalStatusCode":500,"resourceName":"anthropic.claude","extra":{"nested":[1,2,{"a":null}]}}"""));

        var modelError = Assert.IsType<ModelErrorException>(error);
        Assert.Equal("The model failed.", modelError.Message);
        Assert.Equal(500, modelError.OriginalStatusCode);
        Assert.Equal("anthropic.claude", modelError.ResourceName);
        Assert.Equal((HttpStatusCode)424, modelError.StatusCode);
        Assert.False(modelError.IsRetryable);
        Assert.Equal(ErrorFault.Client, modelError.Fault);
    }

    [Fact]
    public void ModelTimeout_is_not_retryable()
    {
        var error = BedrockErrorMapper.FromHttpResponse(HttpStatusCode.RequestTimeout, Headers(("x-amzn-ErrorType", "ModelTimeoutException")), Utf8("""{"message":"slow"}"""));

        Assert.IsType<ModelTimeoutException>(error);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public void Empty_body_503_maps_to_ServiceUnavailableException_naming_the_status()
    {
        var error = BedrockErrorMapper.FromHttpResponse(HttpStatusCode.ServiceUnavailable, Headers(), default);

        var unavailable = Assert.IsType<ServiceUnavailableException>(error);
        Assert.Contains("503", unavailable.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorFault.Server, unavailable.Fault);
        Assert.True(unavailable.IsRetryable);
    }

    [Fact]
    public void Garbage_body_500_maps_to_InternalServerException_naming_the_status()
    {
        var error = BedrockErrorMapper.FromHttpResponse(
            HttpStatusCode.InternalServerError, Headers(), Utf8("<html><body>Internal Server Error</body></html>"));

        var internalError = Assert.IsType<InternalServerException>(error);
        Assert.Contains("500", internalError.Message, StringComparison.Ordinal);
        Assert.True(internalError.IsRetryable);
    }

    [Theory]
    [InlineData(418, "")]
    [InlineData(400, "not json at all")]
    [InlineData(502, "{\"message\":")]
    [InlineData(401, "[1,2,3]")]
    [InlineData(404, "\"just a string\"")]
    [InlineData(400, "{\"message\": 42, \"code\": null}")]
    public void Unmappable_responses_give_the_base_type_with_the_status_in_the_message(int status, string body)
    {
        var error = BedrockErrorMapper.FromHttpResponse((HttpStatusCode)status, Headers(), Utf8(body));

        Assert.Equal(typeof(BedrockRuntimeException), error.GetType());
        Assert.Equal(BedrockRuntimeException.UnknownErrorCode, error.ErrorCode);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_body_does_not_throw()
    {
        byte[] body = [.. Utf8("{\"message\":\""), 0xC3, 0x28, .. Utf8("\"}")];

        var error = BedrockErrorMapper.FromHttpResponse(HttpStatusCode.BadRequest, Headers(), body);

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public void Unknown_code_keeps_the_code_and_the_message()
    {
        var error = BedrockErrorMapper.FromHttpResponse(
            HttpStatusCode.BadRequest, Headers(), Utf8("""{"__type":"com.amazon.coral#SomethingNewException","message":"new"}"""));

        Assert.Equal(typeof(BedrockRuntimeException), error.GetType());
        Assert.Equal("SomethingNewException", error.ErrorCode);
        Assert.Contains("new", error.Message, StringComparison.Ordinal);
        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
        Assert.Equal(ErrorFault.Client, error.Fault);
    }

    [Fact]
    public void Unknown_code_with_a_transient_status_is_retryable()
    {
        var error = BedrockErrorMapper.FromHttpResponse(HttpStatusCode.BadGateway, Headers(("x-amzn-ErrorType", "InternalFailure")), default);

        Assert.Equal("InternalFailure", error.ErrorCode);
        Assert.True(error.IsRetryable);
        Assert.Equal(ErrorFault.Server, error.Fault);
    }

    [Fact]
    public void ServiceQuotaExceeded_and_Conflict_are_mapped_although_not_in_the_Converse_error_lists()
    {
        Assert.IsType<ServiceQuotaExceededException>(
            BedrockErrorMapper.FromHttpResponse(HttpStatusCode.BadRequest, Headers(("x-amzn-ErrorType", "ServiceQuotaExceededException")), default));
        Assert.IsType<ConflictException>(
            BedrockErrorMapper.FromHttpResponse(HttpStatusCode.BadRequest, Headers(), Utf8("""{"__type":"ConflictException"}""")));
    }

    [Fact]
    public void Body_larger_than_the_bound_is_read_only_up_to_the_bound()
    {
        var padding = new string('x', BedrockErrorMapper.MaxErrorBodyBytes);
        var body = Utf8($$"""{"__type":"ValidationException","message":"early","padding":"{{padding}}","code":"ThrottlingException"}""");

        var error = BedrockErrorMapper.FromHttpResponse(HttpStatusCode.BadRequest, Headers(), body);

        Assert.IsType<ValidationException>(error);
        Assert.Equal("early", error.Message);
    }

    [Theory]
    [InlineData("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", "ThrottlingException")]
    [InlineData("com.amazonaws.bedrockruntime#ValidationException", "ValidationException")]
    [InlineData("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError")]
    [InlineData("FooError,BarError", "FooError")]
    [InlineData("  FooError  ", "FooError")]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData(":", null)]
    public void Error_codes_are_sanitised_like_restJson1(string? raw, string? expected) =>
        Assert.Equal(expected, BedrockErrorMapper.SanitizeErrorCode(raw));

    [Fact]
    public void Retry_hints_are_read_from_the_headers()
    {
        var amz = BedrockErrorMapper.FromHttpResponse((HttpStatusCode)429, Headers(("x-amzn-ErrorType", "ThrottlingException"), ("x-amz-retry-after", "1500")), default);
        var seconds = BedrockErrorMapper.FromHttpResponse((HttpStatusCode)429, Headers(("x-amzn-ErrorType", "ThrottlingException"), ("Retry-After", "3")), default);
        var date = BedrockErrorMapper.FromHttpResponse(
            HttpStatusCode.ServiceUnavailable,
            Headers(("Date", "Wed, 01 Jan 2025 00:00:00 GMT"), ("Retry-After", "Wed, 01 Jan 2025 00:00:07 GMT")),
            default);
        var garbage = BedrockErrorMapper.FromHttpResponse((HttpStatusCode)429, Headers(("Retry-After", "soon"), ("x-amz-retry-after", "-5")), default);

        Assert.Equal(TimeSpan.FromMilliseconds(1500), amz.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(3), seconds.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(7), date.RetryAfter);
        Assert.Null(garbage.RetryAfter);
    }

    [Fact]
    public void Exception_frame_fixture_maps_to_ModelStreamErrorException()
    {
        using var frames = WireFixtures.Document("converse-stream-exception-frames.json");
        var frame = frames.RootElement.EnumerateArray().Single(f => f.GetProperty("headers").GetProperty(":message-type").GetString() == "exception");
        var exceptionType = frame.GetProperty("headers").GetProperty(":exception-type").GetString();
        var payload = Utf8(frame.GetProperty("payload").GetString()!);
        using var sdk = WireFixtures.Document("converse-stream-exception-sdk.json");
        var expected = sdk.RootElement.GetProperty("error");

        var error = BedrockErrorMapper.FromExceptionFrame(exceptionType!, payload);

        var streamError = Assert.IsType<ModelStreamErrorException>(error);
        Assert.Equal(expected.GetProperty("name").GetString(), streamError.ErrorCode);
        Assert.Equal(expected.GetProperty("message").GetString(), streamError.Message);
        Assert.Equal(400, streamError.OriginalStatusCode);
        Assert.Equal("invalid tool use", streamError.OriginalMessage);
        Assert.Null(streamError.StatusCode);
        Assert.Null(streamError.RequestId);
        Assert.False(streamError.IsRetryable);
        Assert.Equal(ErrorFault.Client, streamError.Fault);
    }

    [Theory]
    [InlineData("throttlingException", typeof(ThrottlingException))]
    [InlineData("internalServerException", typeof(InternalServerException))]
    [InlineData("validationException", typeof(ValidationException))]
    [InlineData("serviceUnavailableException", typeof(ServiceUnavailableException))]
    [InlineData("modelStreamErrorException", typeof(ModelStreamErrorException))]
    public void Exception_frames_map_member_names_to_shape_types(string exceptionType, Type expected)
    {
        var error = BedrockErrorMapper.FromExceptionFrame(exceptionType, Utf8("""{"message":"boom"}"""));

        Assert.IsType(expected, error);
        Assert.Equal(expected.Name, error.ErrorCode);
        Assert.Equal("boom", error.Message);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public void Unknown_exception_frame_keeps_a_PascalCase_code_and_survives_bad_payloads()
    {
        var error = BedrockErrorMapper.FromExceptionFrame("brandNewException", Utf8("not json"));

        Assert.Equal(typeof(BedrockRuntimeException), error.GetType());
        Assert.Equal("BrandNewException", error.ErrorCode);
        Assert.Contains("BrandNewException", error.Message, StringComparison.Ordinal);
        Assert.Null(error.StatusCode);
        Assert.Equal(ErrorFault.Unknown, error.Fault);

        var empty = BedrockErrorMapper.FromExceptionFrame("", default);
        Assert.Equal(BedrockRuntimeException.UnknownErrorCode, empty.ErrorCode);
    }

    [Fact]
    public void Error_frame_maps_to_the_base_type_with_its_code()
    {
        var error = BedrockErrorMapper.FromErrorFrame("InternalFailure", "Something broke mid-stream");

        Assert.Equal(typeof(BedrockRuntimeException), error.GetType());
        Assert.Equal("InternalFailure", error.ErrorCode);
        Assert.Equal("Something broke mid-stream", error.Message);
        Assert.Null(error.StatusCode);

        var bare = BedrockErrorMapper.FromErrorFrame(null, null);
        Assert.Equal(BedrockRuntimeException.UnknownErrorCode, bare.ErrorCode);
        Assert.False(string.IsNullOrEmpty(bare.Message));
    }
}
