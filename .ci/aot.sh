#!/usr/bin/env bash
# Native AOT and trimming:
#  1. publishes tests/Strands.Bedrock.AotCompatibility.TestApp, which roots Strands.Bedrock and Strands.Bedrock.Testing
#     whole, so that the AOT compiler analyses every public member: any trim or AOT warning fails the script; then runs
#     it natively with MCP tools: an agent calls the MCP test server's tools over stdio and Streamable HTTP;
#  2. publishes samples/AotAgent (an agent with a tool) as a Native AOT executable and prints its size;
#  3. runs it through samples/AotAgent.Harness against FakeBedrockServer in another process (real HTTP, SigV4,
#     event-stream frames), checks its answer and its requests, and prints its cold start (process start to the first
#     request received by the fake), then the same for the JIT build for comparison.
# Needs the .NET SDK and a C toolchain: clang or gcc (Native AOT links with clang, or gcc when clang is missing);
# installs clang when neither is there. Ends with "aot: [..s] OK".
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$SECONDS
step() { echo "aot: [$((SECONDS - started))s] $*"; }
fail() { echo "aot: FAILED: $*" >&2; exit 1; }

if ! command -v clang >/dev/null && ! command -v gcc >/dev/null; then
  step "installing clang (Native AOT's linker driver)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
fi
step "C toolchain: $(command -v clang || command -v gcc)"

work="$(mktemp -d /tmp/strands-aot.XXXXXX)"
trap 'rm -rf "$work"' EXIT

step "publishing the AOT compatibility test app (whole libraries rooted)"
dotnet publish tests/Strands.Bedrock.AotCompatibility.TestApp -c Release -o "$work/testapp" -nologo -warnaserror | tee "$work/testapp.log"
if grep -E "warning (IL|CS|CA)[0-9]+" "$work/testapp.log"; then fail "trim or AOT warnings (above)"; fi
"$work/testapp/Strands.Bedrock.AotCompatibility.TestApp" | grep -q "AOT compatibility test app" || fail "the test app did not run"

step "MCP tools in the native test app, against the MCP test server over stdio and Streamable HTTP"
dotnet build tests/Strands.Bedrock.McpTestServer -c Release -nologo -v q -warnaserror
mcp="$("$work/testapp/Strands.Bedrock.AotCompatibility.TestApp" --mcp "$(pwd)/tests/Strands.Bedrock.McpTestServer/bin/Release/net10.0/Strands.Bedrock.McpTestServer.dll")" \
  || { echo "$mcp"; fail "MCP tools failed in the native test app"; }
echo "$mcp" | sed 's/^/  /'
for transport in stdio http; do
  grep -qxF "MCP $transport: success[text:[test-server] aot] success[json:{\"city\":\"Oslo\",\"temperatureC\":21.5,\"conditions\":\"sunny\"}] success[text:Here is the chart.,image:png]" <<<"$mcp" \
    || fail "the native MCP round trip over $transport did not give the expected tool results"
done

step "publishing samples/AotAgent with Native AOT"
dotnet publish samples/AotAgent -c Release -o "$work/agent" -nologo -warnaserror | tee "$work/agent.log"
if grep -E "warning (IL|CS|CA)[0-9]+" "$work/agent.log"; then fail "trim or AOT warnings (above)"; fi
binary="$work/agent/AotAgent"
[ -x "$binary" ] || fail "no executable at $binary"
size=$(stat -c %s "$binary")

step "building samples/AotAgent.Harness"
dotnet build samples/AotAgent.Harness -c Release -nologo -v q -warnaserror
harness=(dotnet samples/AotAgent.Harness/bin/Release/net10.0/AotAgent.Harness.dll)

step "running the AOT agent against the fake Bedrock (5 runs)"
output="$("${harness[@]}" --runs 5 "$binary")" || { echo "$output"; fail "the harness failed"; }
echo "$output" | sed 's/^/  /'
grep -q '^AotAgent OK: AotAgent answer: It is sunny in Seattle. get_weather returned {"city":"Seattle","conditions":"sunny","temperatureC":18}$' <<<"$output" \
  || fail "the AOT agent's answer line is missing"

step "the JIT build of the same agent, for comparison (5 runs)"
jit="$("${harness[@]}" --runs 5)" || { echo "$jit"; fail "the harness failed on the JIT build"; }
echo "$jit" | sed 's/^/  /'

echo "aot: AotAgent native executable: $size bytes ($(awk "BEGIN { printf \"%.1f\", $size / 1048576 }") MiB), $(grep -o 'median [0-9.]* ms' <<<"$output" | head -1) cold start"
step "OK"
