#!/usr/bin/env bash
# Packs Strands.Bedrock and Strands.Bedrock.Testing, checks what is in the packages, then restores them into a scratch
# console project outside the repository (its NuGet.config: the packed output first, then the usual feed) and runs the
# quick start against FakeBedrockServer with them, and checks SourceLink. It packs from a throwaway clone of the committed
# sources whose origin is the published GitHub address, as a release build from the published repository would be: the
# repository address in the packages comes from that origin, not from a setting. Needs only the .NET SDK (and unzip,
# installed when missing). Ends with "pack: [..s] OK".
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$SECONDS
step() { echo "pack: [$((SECONDS - started))s] $*"; }
fail() { echo "pack: FAILED: $*" >&2; exit 1; }

if ! command -v unzip >/dev/null; then
  step "installing unzip"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq unzip >/dev/null
fi

work="$(mktemp -d /tmp/strands-pack.XXXXXX)"
trap 'rm -rf "$work"' EXIT
feed="$work/feed"

# A version of its own for every run, so that no package of an earlier run, in any cache, can stand in for this one.
base_version="$(dotnet msbuild src/Strands.Bedrock/Strands.Bedrock.csproj -getProperty:Version)"
version="${base_version%%-*}-pack.$(date -u +%Y%m%d%H%M%S)"

step "cloning the committed sources with the published origin"
git clone -q --no-hardlinks "$repo" "$work/clone"
git -C "$work/clone" remote set-url origin https://github.com/strands-agents/strands-bedrock-dotnet.git
clone="$work/clone"

step "packing $version"
dotnet pack "$clone/src/Strands.Bedrock.Testing/Strands.Bedrock.Testing.csproj" -c Release -o "$feed" -p:Version="$version" -p:StrictSourceLink=true -warnaserror -nologo -v q
dotnet pack "$clone/src/Strands.Bedrock/Strands.Bedrock.csproj" -c Release -o "$feed" -p:Version="$version" --no-build -nologo -v q

step "checking the packages"
for id in Strands.Bedrock Strands.Bedrock.Testing; do
  nupkg="$feed/$id.$version.nupkg"
  snupkg="$feed/$id.$version.snupkg"
  [ -f "$nupkg" ] || fail "$nupkg is missing"
  [ -f "$snupkg" ] || fail "$snupkg (symbols) is missing"
  files="$(unzip -Z1 "$nupkg")"
  for f in README.md "lib/net10.0/$id.dll" "lib/net10.0/$id.xml"; do
    grep -qx "$f" <<<"$files" || fail "$id: $f is not in the package"
  done
  symbols="$(unzip -Z1 "$snupkg")"
  grep -qx "lib/net10.0/$id.pdb" <<<"$symbols" || fail "$id: no PDB in the symbols package"
  nuspec="$(unzip -p "$nupkg" "$id.nuspec")"
  for pattern in '<license type="expression">Apache-2.0</license>' '<readme>README.md</readme>' \
                 '<projectUrl>https://github.com/strands-agents/strands-bedrock-dotnet</projectUrl>' \
                 '<repository type="git" url="https://github.com/strands-agents/strands-bedrock-dotnet.git"'; do
    grep -qF "$pattern" <<<"$nuspec" || fail "$id: the nuspec lacks $pattern"
  done
  echo "  $id $version: readme, license, repository, XML docs, symbols ($(stat -c %s "$nupkg") B + $(stat -c %s "$snupkg") B)"
done

step "restoring and running the scratch consumer"
consumer="$work/consumer"
mkdir -p "$consumer"
cp .ci/pack-consumer/Program.cs .ci/pack-consumer/PackConsumer.csproj "$consumer/"
# Packages restored from the packed output go to a cache of this run; everything else comes from the machine's cache
# (a fallback folder) or the usual feed.
global_packages="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
mkdir -p "$global_packages"
cat > "$consumer/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <clear />
    <add key="packed" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <fallbackPackageFolders>
    <clear />
    <add key="machine" value="$global_packages" />
  </fallbackPackageFolders>
</configuration>
XML
(cd "$consumer" && dotnet build -c Release -p:StrandsVersion="$version" -nologo -v q)
[ -d "$work/packages/strands.bedrock/$version" ] || fail "Strands.Bedrock $version was not restored from the packed output"
output="$(cd "$consumer" && dotnet run -c Release --no-build)"
echo "$output" | sed 's/^/  /'
grep -q "^PACKAGE OK $version+[0-9a-f]*: Amazon Bedrock is a fully managed service" <<<"$output" \
  || fail "the consumer did not print PACKAGE OK $version"

step "checking SourceLink"
pdb="$clone/src/Strands.Bedrock/bin/Release/net10.0/Strands.Bedrock.pdb"
commit="$(git -C "$work/clone" rev-parse HEAD)"
grep -aq "https://raw.githubusercontent.com/strands-agents/strands-bedrock-dotnet/$commit/\*" "$pdb" \
  || fail "the PDB has no source link to raw.githubusercontent.com/.../$commit"
echo "  Strands.Bedrock.pdb maps sources to https://raw.githubusercontent.com/strands-agents/strands-bedrock-dotnet/$commit/*"

step "OK"
