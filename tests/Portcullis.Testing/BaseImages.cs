using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Portcullis.Testing;

public enum BaseImageKind
{
    /// <summary>For self-contained apps: libraries, certificates, an app user.</summary>
    RuntimeDeps,

    /// <summary>For framework-dependent ASP.NET Core apps: also the dotnet host and shared runtimes.</summary>
    AspNet,
}

/// <summary>
/// Base images built from this machine's files by scripts/base-image.sh (no internet), cached by content
/// under ~/.cache/portcullis/base-images (the key covers the script, the libraries and the runtimes it
/// copies), and pushed to a test registry with skopeo.
/// </summary>
public static class BaseImages
{
    public static string Push(LocalRegistry registry, BaseImageKind kind)
    {
        var layout = Build(kind, out _);
        var skopeo = Requires.Tool("skopeo", "skopeo");
        var target = $"{registry.Host}/base/{Name(kind)}:1";
        var (code, output) = Requires.Run(skopeo, "copy", "-q", "--dest-tls-verify=false", $"oci:{layout}:{Name(kind)}", "docker://" + target);
        Assert.True(code == 0, "skopeo copy failed: " + output);
        return target;
    }

    /// <summary>The OCI layout of the base image, built unless the cache has it. <paramref name="built"/> says whether it was.</summary>
    public static string Build(BaseImageKind kind, out bool built)
    {
        Requires.Tool("umoci", "umoci");
        var script = Path.Combine(Repo.Root, "scripts", "base-image.sh");
        var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "portcullis", "base-images");
        var layout = Path.Combine(cache, $"{Name(kind)}-{Key(script, kind)}");
        built = false;
        if (File.Exists(Path.Combine(layout, "index.json")))
            return layout;

        var temp = layout + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        var (code, output) = Requires.Run("bash", script, Name(kind), temp, Name(kind));
        Assert.True(code == 0, "base-image.sh failed: " + output);
        try
        {
            Directory.Move(temp, layout);
        }
        catch (IOException) when (File.Exists(Path.Combine(layout, "index.json")))
        {
            Directory.Delete(temp, recursive: true);
        }
        built = true;
        return layout;
    }

    private static string Name(BaseImageKind kind) => kind == BaseImageKind.AspNet ? "aspnet" : "runtime-deps";

    // What the image is made of: the script, the libraries ldconfig resolves, and the installed runtimes.
    private static string Key(string script, BaseImageKind kind)
    {
        var text = new StringBuilder(File.ReadAllText(script)).Append(kind);
        text.Append(Requires.Run("ldconfig", "-p").Output);
        text.Append(Requires.Run("dotnet", "--list-runtimes").Output);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
