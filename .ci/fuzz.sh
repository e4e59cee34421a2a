#!/usr/bin/env bash
# Fault injection, bounded: 200,000 mutated event-stream frames through BedrockRuntimeClient.ConverseStreamAsync and
# Agent.InvokeAsync (a quarter of the cases), with a fixed seed so that a failure replays exactly. Fails when any case
# ends in an exception outside the documented types or hangs; the output names the seed and case to replay.
# The full run (1,000,000 mutated frames by default): dotnet run -c Release --project tests/Strands.Bedrock.Fuzz
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet run -c Release --project tests/Strands.Bedrock.Fuzz -- --mutated-frames 200000 --seed 20260111
