using System.Text.Json.Nodes;
using Portcullis.Oci.Artifacts;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Harness.Tests;

/// <summary>
/// A two-RID publish (linux-x64 + linux-arm64): each platform image carries its own profile as label and
/// artifact, and the arm64 profile names only syscalls aarch64 has. The arm64 base image is the amd64 one
/// re-labelled (this machine cannot build or run arm64 images; nothing here runs the arm64 image).
/// </summary>
[Collection(SamplesCollection.Name)]
public sealed class MultiPlatformPublishTests(SampleImagesFixture images)
{
    [Fact]
    public async Task Each_platform_gets_its_own_labelled_and_attached_profile()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var client = SampleImagesFixture.Client();
        var baseIndex = await PushTwoPlatformBaseAsync(client, images.AspNetBase, cancel);
        using var workspace = SampleWorkspace.Create("TodoApi");
        workspace.PublishContainer(images.Registry, baseIndex, "multi", "-p:ContainerRuntimeIdentifiers=\"linux-x64;linux-arm64\"", "-p:RuntimeIdentifiers=\"linux-x64;linux-arm64\"");

        var image = ImageReference.Parse($"{images.Registry.Host}/samples/todoapi:multi");
        var index = await client.GetManifestAsync(image, cancel);
        Assert.True(index.IsIndex);
        var platforms = index.Platforms(image.ToString());
        Assert.Equal(["linux/amd64", "linux/arm64"], platforms.Select(p => p.Platform).Order());

        var artifacts = await new ProfileArtifacts(client).DiscoverAsync(image, ProfileKind.Seccomp, cancel);
        Assert.Equal(["linux/amd64", "linux/arm64"], artifacts.Select(a => a.Subject.Platform).Order());
        foreach (var platform in platforms)
        {
            var pulled = await new ProfileArtifacts(client).PullAsync(image, ProfileKind.Seccomp, platform.Platform, cancel);
            var profile = JsonNode.Parse(pulled.Content)!;
            var label = await LabelAsync(client, image with { Tag = null, Digest = platform.Digest }, cancel);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(pulled.Content), label);
            var arches = profile["architectures"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
            var allowed = profile["syscalls"]!.AsArray().Where(r => r!["action"]!.GetValue<string>() == "SCMP_ACT_ALLOW").SelectMany(r => r!["names"]!.AsArray().Select(n => n!.GetValue<string>())).ToList();
            if (platform.Platform == "linux/arm64")
            {
                Assert.Equal(["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], arches);
                Assert.All(allowed, n => Assert.True(ArchTranslation.ExistsOnFamily(n, SeccompArch.Aarch64), $"{n} does not exist on aarch64"));
                Assert.Contains("openat", allowed);
                Assert.DoesNotContain("open", allowed);
            }
            else
            {
                Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], arches);
            }
        }
        var report = File.ReadAllText(Path.Combine(workspace.ProfileDirectory("linux-arm64"), "report.md"));
        Assert.Contains("## Translated for other architectures", report, StringComparison.Ordinal);
    }

    private static async Task<string> LabelAsync(Oci.RegistryClient client, ImageReference manifestRef, CancellationToken cancel)
    {
        var manifest = await client.GetManifestAsync(manifestRef, cancel);
        var config = Descriptor.FromJson(manifest.Json("m")["config"]!, "m");
        var json = JsonNode.Parse(await client.PullBlobAsync(manifestRef, config.Digest, 1 << 22, cancel))!;
        return json["config"]!["Labels"]!["io.containers.seccomp.profile"]!.GetValue<string>();
    }

    // An index of the amd64 base image and a copy of it whose config says arm64.
    private static async Task<string> PushTwoPlatformBaseAsync(Oci.RegistryClient client, string baseImage, CancellationToken cancel)
    {
        var reference = ImageReference.Parse(baseImage);
        var amd64 = await client.GetManifestAsync(reference, cancel);
        var json = amd64.Json("base");
        var configDescriptor = Descriptor.FromJson(json["config"]!, "base");
        var config = JsonNode.Parse(await client.PullBlobAsync(reference, configDescriptor.Digest, 1 << 22, cancel))!;
        config["architecture"] = "arm64";
        var armConfig = await client.PushBlobAsync(reference, System.Text.Encoding.UTF8.GetBytes(config.ToJsonString()), configDescriptor.MediaType, cancel);
        var armManifest = json.DeepClone();
        armManifest["config"] = armConfig.ToJson();
        var armBytes = System.Text.Encoding.UTF8.GetBytes(armManifest.ToJsonString());
        var (armDigest, _) = await client.PutManifestAsync(reference, Digest.Sha256(armBytes).ToString(), armBytes, amd64.MediaType, cancel);
        var entries = new JsonArray(
            Entry(amd64.MediaType, amd64.Digest, amd64.Bytes.Length, "amd64"),
            Entry(amd64.MediaType, armDigest, armBytes.Length, "arm64"));
        var index = System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = entries }.ToJsonString());
        await client.PutManifestAsync(reference, "multi", index, MediaTypes.OciIndex, cancel);
        return $"{reference.Registry}/{reference.Repository}:multi";
    }

    private static JsonObject Entry(string mediaType, Digest digest, long size, string arch) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = digest.ToString(),
        ["size"] = size,
        ["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = arch },
    };
}
