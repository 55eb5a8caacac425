using System.Diagnostics;
using Xunit;

namespace Portcullis.Testing;

/// <summary>
/// The Portcullis.Build package, packed from this repository once per test process into a folder feed,
/// with a version of its own so that NuGet's global cache never serves an older build of it. Test processes run side by
/// side and each packs once: one at a time, since every pack builds into the same folders of the checkout.
/// </summary>
public static class PortcullisPackage
{
    private static readonly Lazy<(string Feed, string Version)> Packed = new(Pack);

    public static string Feed => Packed.Value.Feed;
    public static string Version => Packed.Value.Version;

    private static (string, string) Pack()
    {
        var feed = Directory.CreateTempSubdirectory("portcullis-feed-").FullName;
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        using var exclusive = RepoLock.Take("build");
        var (code, output) = Dotnet.Run(Repo.Root, "pack", Path.Combine(Repo.Root, "src", "Tasks", "Portcullis.Build.csproj"), "-c", "Release", "-o", feed, "-nologo", $"-p:Version={version}");
        Assert.True(code == 0, "packing Portcullis.Build failed:\n" + output);
        return (feed, version);
    }
}
