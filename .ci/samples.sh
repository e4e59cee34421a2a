#!/usr/bin/env bash
# Builds every sample once (Release), then runs each offline against its scripted fake Bedrock and checks its exit
# code, its first line (which says the responses are scripted) and one line that shows the feature at work. Then runs
# the quick start with --live and no AWS configuration at all, and checks that it fails the way a user should see it:
# exit code 1 and one line on stderr (the credentials error and a hint), no stack trace.
# Stops at the first sample that fails. Usage: bash .ci/samples.sh
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Numbers print the same whatever the machine's culture.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1

# sample directory | a line its offline output must contain
checks=(
  "samples/QuickStart|The square root of 1764 is 42."
  "samples/01-BasicUsage|inferenceConfig: {\"temperature\":0.3,\"topP\":0.8}"
  "samples/02-Credentials|request 2: ConverseStream us.anthropic.claude-3-7-sonnet-20250219-v1:0 (SigV4 your_access_key us-west-2) => 200"
  "samples/03-Configuration|request 2: ConverseStream us.anthropic.claude-3-7-sonnet-20250219-v1:0 (SigV4 AKIDEXAMPLE us-east-1) => 200"
  "samples/04-Streaming|non-streaming events: messageStart > contentBlockDelta > contentBlockStop > messageStop > metadata"
  "samples/05-Multimodal|{\"document\":{\"format\":\"txt\",\"name\":\"example\",\"source\":\"{...}\"}},{\"text\":\"Use this media in your response.\"}"
  "samples/06-Guardrails|[assistant] Blocked Output!"
  "samples/07-Caching|Cache read tokens: 1200"
  "samples/08-RuntimeConfig|model now: us.amazon.nova-premier-v1:0, temperature 0.2"
  "samples/09-Reasoning|reasoning: Time = distance / speed = 450 km / 120 km/h = 3.75 h"
  "samples/10-StructuredOutput|Product: UltraBook Pro"
  "samples/11-McpTools|Tomorrow in Seattle: Seattle: light rain in the morning, 14°C, clearing up in the afternoon."
  "samples/12-Sessions|{\"role\":\"assistant\",\"content\":[{\"text\":\"Nice to meet you, Alice! Seattle is a great place to live.\"}]},{\"role\":\"user\",\"content\":[{\"text\":\"What is my name, and where do I live?\"}]}]"
)
first_line="Offline: the model's responses are scripted"

# Every sample project must be checked here and listed in the solution filter that builds them.
for project in samples/*/*.csproj; do
  dir=$(dirname "$project")
  # The interop samples and the Native AOT app have their own checks (.ci/interop-samples.sh, .ci/aot.sh).
  case "$dir" in samples/Interop.*|samples/AotAgent*) continue ;; esac
  if ! printf '%s\n' "${checks[@]}" | grep -q "^$dir|"; then
    echo "FAIL $dir: no expected line in .ci/samples.sh"; exit 1
  fi
  if ! grep -qF "$(basename "$project")" samples/Samples.slnf; then
    echo "FAIL $dir: $project is not in samples/Samples.slnf"; exit 1
  fi
done

start=$SECONDS
dotnet build samples/Samples.slnf -c Release -nologo -v q
echo "built the samples in $((SECONDS - start)) s"

for check in "${checks[@]}"; do
  dir=${check%%|*}
  expected=${check#*|}
  began=$SECONDS
  status=0
  output=$(timeout 120 dotnet run --no-build -c Release --project "$dir" 2>&1) || status=$?
  if [ "$status" -ne 0 ]; then
    printf '%s\n' "$output"
    echo "FAIL $dir: exit code $status"; exit 1
  fi
  if [[ "${output%%$'\n'*}" != *"$first_line"* ]]; then
    printf '%s\n' "$output"
    echo "FAIL $dir: the first line does not say the responses are scripted"; exit 1
  fi
  if ! grep -qF -- "$expected" <<<"$output"; then
    printf '%s\n' "$output"
    echo "FAIL $dir: no line contains: $expected"; exit 1
  fi
  echo "ok   $dir ($((SECONDS - began)) s): $expected"
done
# Live without any AWS configuration: no AWS_* variable, and a HOME with no ~/.aws.
empty_home=$(mktemp -d)
trap 'rm -rf "$empty_home"' EXIT
unset_aws=()
while IFS= read -r name; do unset_aws+=(-u "$name"); done < <(env | grep -o '^AWS_[A-Za-z0-9_]*' || true)
began=$SECONDS
status=0
stdout=$(env "${unset_aws[@]}" HOME="$empty_home" timeout 120 dotnet run --no-build -c Release --project samples/QuickStart -- --live 2>"$empty_home/stderr") || status=$?
stderr=$(cat "$empty_home/stderr")
report() { printf 'stdout:\n%s\nstderr:\n%s\n' "$stdout" "$stderr"; echo "FAIL samples/QuickStart --live without credentials: $1"; exit 1; }
[ "$status" -eq 1 ] || report "exit code $status, expected 1"
[[ "${stdout%%$'\n'*}" == "Live: calling Amazon Bedrock"* ]] || report "the first line does not say the run is live"
[ "$(wc -l <<<"$stderr")" -eq 1 ] || report "stderr is not one line"
[[ "$stderr" == "BedrockCredentialsException: No AWS credentials were found"*" Hint: "* ]] || report "stderr is not the credentials error with a hint"
echo "ok   samples/QuickStart --live without credentials ($((SECONDS - began)) s): exit 1, ${stderr:0:80}..."

echo "all ${#checks[@]} samples passed, and the live error line, in $((SECONDS - start)) s"
