using System.Text.Json;

namespace Portcullis.Analyzer.Loading;

/// <summary>
/// The shared framework directories a framework-dependent app runs on: the frameworks every *.runtimeconfig.json
/// in the directory names (a test output holds several), found under the .NET root the way the host does
/// (DOTNET_ROOT, the dotnet running the build, the dotnet on PATH, then /usr/share/dotnet and /usr/lib/dotnet),
/// rolled forward to the newest installed patch of the named major.minor. A self-contained app carries its
/// framework in its own directory, so it needs none.
/// </summary>
public static class SharedFramework
{
    public sealed record Found(IReadOnlyList<string> Directories, IReadOnlyList<string> Missing);

    public static Found For(string appDirectory)
    {
        var named = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var config in Directory.EnumerateFiles(appDirectory, "*.runtimeconfig.json"))
        {
            foreach (var (name, version) in Frameworks(config))
            {
                if (!named.TryGetValue(name, out var known) || Compare(version, known) > 0)
                    named[name] = version;
            }
        }
        var directories = new List<string>();
        var missing = new List<string>();
        foreach (var (name, version) in named)
        {
            if (Locate(name, version) is { } dir)
                directories.Add(dir);
            else
                missing.Add($"{name} {version}");
        }
        return new Found(directories, missing);
    }

    private static IEnumerable<(string Name, string Version)> Frameworks(string runtimeConfig)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(runtimeConfig), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            yield break;
        }
        using (doc)
        {
            if (!doc.RootElement.TryGetProperty("runtimeOptions", out var options))
                yield break;
            var list = new List<JsonElement>();
            if (options.TryGetProperty("framework", out var single))
                list.Add(single);
            if (options.TryGetProperty("frameworks", out var many) && many.ValueKind == JsonValueKind.Array)
                list.AddRange(many.EnumerateArray());
            foreach (var f in list)
            {
                if (f.ValueKind == JsonValueKind.Object && f.TryGetProperty("name", out var n) && f.TryGetProperty("version", out var v) && n.GetString() is { } name && v.GetString() is { } version)
                    yield return (name, version);
            }
        }
    }

    private static string? Locate(string name, string version)
    {
        foreach (var root in Roots())
        {
            var parent = Path.Combine(root, "shared", name);
            if (!Directory.Exists(parent))
                continue;
            if (Directory.Exists(Path.Combine(parent, version)))
                return Path.Combine(parent, version);
            // Roll forward to the newest patch of the same major.minor, as the host's default policy does.
            var prefix = string.Join('.', version.Split('.').Take(2)) + ".";
            var best = Directory.EnumerateDirectories(parent).Select(Path.GetFileName).OfType<string>()
                .Where(v => v.StartsWith(prefix, StringComparison.Ordinal) && Compare(v, version) >= 0)
                .OrderByDescending(v => v, Comparer<string>.Create(Compare)).FirstOrDefault();
            if (best is not null)
                return Path.Combine(parent, best);
        }
        return null;
    }

    private static IEnumerable<string> Roots()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } env)
            yield return env;
        // The SDK sets DOTNET_HOST_PATH for the tools and tasks it runs: the dotnet that runs the build.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && Path.GetDirectoryName(host) is { Length: > 0 } hostRoot)
            yield return hostRoot;
        // The dotnet on PATH, through its symlink (/usr/bin/dotnet → /usr/share/dotnet/dotnet).
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = new FileInfo(Path.Combine(dir, "dotnet"));
            if (!candidate.Exists)
                continue;
            var target = candidate.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate.FullName;
            if (Path.GetDirectoryName(target) is { Length: > 0 } pathRoot)
                yield return pathRoot;
            break;
        }
        yield return "/usr/share/dotnet";
        yield return "/usr/lib/dotnet";
    }

    // Numeric by part; a prerelease suffix sorts before its release.
    private static int Compare(string a, string b)
    {
        var (pa, pb) = (a.Split('-')[0].Split('.'), b.Split('-')[0].Split('.'));
        for (var i = 0; i < Math.Max(pa.Length, pb.Length); i++)
        {
            var x = i < pa.Length && int.TryParse(pa[i], out var xi) ? xi : 0;
            var y = i < pb.Length && int.TryParse(pb[i], out var yi) ? yi : 0;
            if (x != y)
                return x.CompareTo(y);
        }
        return (a.Contains('-', StringComparison.Ordinal), b.Contains('-', StringComparison.Ordinal)) switch
        {
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(a, b),
        };
    }
}
