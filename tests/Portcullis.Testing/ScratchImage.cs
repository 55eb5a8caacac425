using Xunit;

namespace Portcullis.Testing;

/// <summary>An empty image made by umoci (an OCI layout) and pushed by skopeo: a real third-party image in the test registry.</summary>
public static class ScratchImage
{
    public static string Push(LocalRegistry registry, string repositoryAndTag)
    {
        var umoci = Requires.Tool("umoci", "umoci");
        var skopeo = Requires.Tool("skopeo", "skopeo");
        var layout = Directory.CreateTempSubdirectory("portcullis-layout-").FullName;
        try
        {
            Check(Requires.Run(umoci, "init", "--layout", Path.Combine(layout, "oci")), "umoci init");
            Check(Requires.Run(umoci, "new", "--image", Path.Combine(layout, "oci") + ":scratch"), "umoci new");
            var target = $"{registry.Host}/{repositoryAndTag}";
            Check(Requires.Run(skopeo, "copy", "--dest-tls-verify=false", "oci:" + Path.Combine(layout, "oci") + ":scratch", "docker://" + target), "skopeo copy");
            return target;
        }
        finally
        {
            Directory.Delete(layout, recursive: true);
        }
    }

    private static void Check((int Code, string Output) result, string what) =>
        Assert.True(result.Code == 0, $"{what} failed: {result.Output}");
}
