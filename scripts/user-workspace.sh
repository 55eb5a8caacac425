#!/usr/bin/env bash
# Copies samples/SAMPLE and its tests into DIR as a user's solution of their own would be: its own
# Directory.Build.props and central package versions, a nuget.config whose first source is FEED (where
# Portcullis.Build VERSION was packed), and the app referencing the package. Used by scripts/demo.sh and
# tests/e2e/kind.sh (the tests do the same in C#: tests/Portcullis.Testing/SampleWorkspace.cs).
#
# usage: scripts/user-workspace.sh SAMPLE FEED VERSION DIR
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
sample=${1:?sample} feed=${2:?feed directory} version=${3:?package version} app=${4:?work directory}
rm -rf "$app" && mkdir -p "$app"
for d in "$sample" "$sample.Tests"; do
  cp -r "$repo/samples/$d" "$app/$d" && rm -rf "$app/$d/bin" "$app/$d/obj"
done
cat > "$app/nuget.config" <<XML
<configuration><packageSources><clear /><add key="portcullis" value="$feed" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources></configuration>
XML
printf '<Project><PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup></Project>\n' > "$app/Directory.Build.props"
versions=$(grep -E 'Include="(xunit.v3|Microsoft.Data.Sqlite|Microsoft.AspNetCore.Mvc.Testing)"' "$repo/Directory.Packages.props")
printf '<Project><PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup><ItemGroup>\n%s\n<PackageVersion Include="Portcullis.Build" Version="%s" />\n</ItemGroup></Project>\n' "$versions" "$version" > "$app/Directory.Packages.props"
sed -i 's#</Project>#  <ItemGroup><PackageReference Include="Portcullis.Build" /></ItemGroup>\n</Project>#' "$app/$sample/$sample.csproj"
