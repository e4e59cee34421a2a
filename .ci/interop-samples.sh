#!/usr/bin/env bash
# Builds and runs the interop samples offline (each against FakeBedrockServer, in process) and checks the line each
# prints: the Microsoft.Extensions.AI pipeline, the Agent Framework agent, and the generic host with DI and
# OpenTelemetry. Needs only the .NET SDK. Ends with "interop-samples: [..s] OK".
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$SECONDS
step() { echo "interop-samples: [$((SECONDS - started))s] $*"; }
fail() { echo "interop-samples: FAILED: $*" >&2; exit 1; }

# run NAME: builds samples/NAME and runs it; its output is left in $output.
run() {
  step "building and running samples/$1"
  dotnet build "samples/$1" -c Release -nologo -v q -warnaserror >/dev/null || { dotnet build "samples/$1" -c Release -nologo -v q; fail "samples/$1 does not build"; }
  output="$(timeout 120 dotnet "samples/$1/bin/Release/net10.0/$1.dll")" || { echo "$output"; fail "samples/$1 exited with an error"; }
}

# expect TEXT: the last sample's output has a line with exactly TEXT (fixed string).
expect() {
  grep -qxF -- "$1" <<<"$output" || { echo "$output"; fail "expected the line: $1"; }
  echo "  $1"
}

# expect_some TEXT: the last sample's output contains TEXT somewhere.
expect_some() {
  grep -qF -- "$1" <<<"$output" || { echo "$output"; fail "expected output containing: $1"; }
  echo "  ... $1"
}

run Interop.MeaiPipeline
expect "MEAI pipeline answer: Here is the weather: sunny and 22 °C in Paris"

run Interop.AgentFramework
expect "Agent Framework answer: There are 42 units of A-1 in stock."
expect "Agent Framework answer: You asked about A-1; this conversation has 5 messages so far."

run Interop.DependencyInjection
expect "DI agent answer: Here is the weather: cloudy and 14 °C in Berlin."
expect_some "Activity.DisplayName:        invoke_agent weather-agent"
expect_some "Activity.DisplayName:        execute_tool get_weather"
expect_some "Activity.DisplayName:        chat us.amazon.nova-premier-v1:0"
expect_some "Metric Name: gen_ai.client.operation.duration"
expect_some "Metric Name: gen_ai.client.token.usage"
expect_some "service.name: strands-weather-service"

step "OK"
