using Portcullis.Oci.Artifacts;
using Portcullis.Oci.References;
using Portcullis.Oci.Transport;

namespace Portcullis.Oci.Tests;

/// <summary>Against Debian's docker-registry (distribution 2.8, which has no referrers API: the tag fallback is exercised).</summary>
public sealed class RegistryTests : IDisposable
{
    private const string Seccomp = """{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],"syscalls":[{"names":["read","write","exit_group"],"action":"SCMP_ACT_ALLOW"}]}""";
    private readonly LocalRegistry _registry = LocalRegistry.Start();
    private readonly RegistryClient _client = new(new RegistryOptions { Credentials = _ => null });

    public void Dispose()
    {
        _client.Dispose();
        _registry.Dispose();
    }

    private ImageReference Image(string name = "shop/todo", string tag = "v1") => ImageReference.Parse($"{_registry.Host}/{name}:{tag}");

    private static Dictionary<string, string> Annotations(string created) => new()
    {
        [ProfileArtifactFormat.Created] = created,
        [ProfileArtifactFormat.Generator] = "portcullis 0.1.0",
        [ProfileArtifactFormat.AllowedSyscalls] = "3",
        [ProfileArtifactFormat.Sources] = "recorded,base",
    };

    [Fact]
    public async Task Profiles_are_attached_discovered_and_pulled_back()
    {
        var image = Image();
        var manifest = await TestImages.PushImageAsync(_client, image);
        var artifacts = new ProfileArtifacts(_client);
        await artifacts.PushAsync(image, ProfileKind.Seccomp, System.Text.Encoding.UTF8.GetBytes(Seccomp), Annotations("2026-11-23T10:00:00.000Z"), TestContext.Current.CancellationToken);
        await artifacts.PushAsync(image, ProfileKind.AppArmor, "profile x {\n  /app/** r,\n}\n"u8.ToArray(), Annotations("2026-11-23T10:00:01.000Z"), TestContext.Current.CancellationToken);

        var found = await artifacts.DiscoverAsync(image, null, TestContext.Current.CancellationToken);
        Assert.Equal(2, found.Count);
        Assert.All(found, f => Assert.Equal(manifest.Digest, f.Subject.Digest));
        Assert.Equal("recorded,base", found.First(f => f.Artifact.ArtifactType == ProfileArtifactFormat.SeccompType).Artifact.Annotations[ProfileArtifactFormat.Sources]);

        var pulled = await artifacts.PullAsync(image, ProfileKind.Seccomp, null, TestContext.Current.CancellationToken);
        Assert.Equal(Seccomp, System.Text.Encoding.UTF8.GetString(pulled.Content));

        // The referrers tag is a real index in the registry.
        var tag = await _client.GetManifestAsync(image with { Tag = manifest.Digest.ReferrersTag }, TestContext.Current.CancellationToken);
        Assert.Equal(2, tag.Entries("tag").Count);
    }

    [Fact]
    public async Task A_second_attach_keeps_the_first_and_pull_takes_the_newest()
    {
        var image = Image("shop/api");
        await TestImages.PushImageAsync(_client, image);
        var artifacts = new ProfileArtifacts(_client);
        await artifacts.PushAsync(image, ProfileKind.Seccomp, System.Text.Encoding.UTF8.GetBytes(Seccomp), Annotations("2026-11-23T10:00:00.000Z"), TestContext.Current.CancellationToken);
        var newer = Seccomp.Replace("\"read\",", "\"read\",\"uname\",", StringComparison.Ordinal);
        await artifacts.PushAsync(image, ProfileKind.Seccomp, System.Text.Encoding.UTF8.GetBytes(newer), Annotations("2026-11-23T11:00:00.000Z"), TestContext.Current.CancellationToken);

        Assert.Equal(2, (await artifacts.DiscoverAsync(image, ProfileKind.Seccomp, TestContext.Current.CancellationToken)).Count);
        Assert.Equal(newer, System.Text.Encoding.UTF8.GetString((await artifacts.PullAsync(image, ProfileKind.Seccomp, null, TestContext.Current.CancellationToken)).Content));
    }

    [Fact]
    public async Task Attaching_the_same_profile_again_adds_nothing()
    {
        var image = Image("shop/again");
        await TestImages.PushImageAsync(_client, image);
        var artifacts = new ProfileArtifacts(_client);
        var first = await artifacts.PushAsync(image, ProfileKind.Seccomp, System.Text.Encoding.UTF8.GetBytes(Seccomp), Annotations("2026-11-23T10:00:00.000Z"), TestContext.Current.CancellationToken);
        var again = await artifacts.PushAsync(image, ProfileKind.Seccomp, System.Text.Encoding.UTF8.GetBytes(Seccomp), Annotations("2026-11-23T12:00:00.000Z"), TestContext.Current.CancellationToken);
        Assert.Equal(first[0].Artifact.Digest, again[0].Artifact.Digest);
        Assert.Single(await artifacts.DiscoverAsync(image, ProfileKind.Seccomp, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Two_clients_attaching_at_once_lose_neither()
    {
        var image = Image("shop/worker");
        await TestImages.PushImageAsync(_client, image);
        using var other = new RegistryClient(new RegistryOptions { Credentials = _ => null });
        var pushes = Enumerable.Range(0, 4).Select(i => new ProfileArtifacts(i % 2 == 0 ? _client : other).PushAsync(
            image, ProfileKind.Seccomp, System.Text.Encoding.UTF8.GetBytes(Seccomp.Replace("\"read\"", $"\"read\",\"getpid{i}\"", StringComparison.Ordinal)), Annotations($"2026-11-23T10:00:0{i}.000Z"), TestContext.Current.CancellationToken));
        await Task.WhenAll(pushes);
        Assert.Equal(4, (await new ProfileArtifacts(_client).DiscoverAsync(image, ProfileKind.Seccomp, TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task A_multi_platform_image_gets_one_artifact_per_platform()
    {
        var image = Image("shop/multi");
        await TestImages.PushIndexAsync(_client, image);
        var artifacts = new ProfileArtifacts(_client);
        var pushed = await artifacts.PushAsync(image, ProfileKind.Seccomp, System.Text.Encoding.UTF8.GetBytes(Seccomp), Annotations("2026-11-23T10:00:00.000Z"), TestContext.Current.CancellationToken);
        Assert.Equal(2, pushed.Count);
        var found = await artifacts.DiscoverAsync(image, ProfileKind.Seccomp, TestContext.Current.CancellationToken);
        Assert.Equal(["linux/amd64", "linux/arm64"], found.Select(f => f.Subject.Platform).Order());
        var arm = await artifacts.PullAsync(image, ProfileKind.Seccomp, "linux/arm64", TestContext.Current.CancellationToken);
        Assert.Equal("linux/arm64", arm.Subject.Platform);
    }

    [Fact]
    public async Task A_tampered_blob_is_refused()
    {
        var image = Image("shop/tamper");
        await TestImages.PushImageAsync(_client, image);
        var artifacts = new ProfileArtifacts(_client);
        await artifacts.PushAsync(image, ProfileKind.Seccomp, System.Text.Encoding.UTF8.GetBytes(Seccomp), Annotations("2026-11-23T10:00:00.000Z"), TestContext.Current.CancellationToken);

        var hex = Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(Seccomp)).Hex;
        var blob = Directory.EnumerateFiles("/tmp", "data", SearchOption.AllDirectories).First(f => f.Contains($"/{hex}/", StringComparison.Ordinal) && f.Contains("portcullis-registry-", StringComparison.Ordinal));
        File.WriteAllText(blob, Seccomp.Replace("exit_group", "exit_grou2", StringComparison.Ordinal));
        var e = await Assert.ThrowsAsync<OciException>(() => artifacts.PullAsync(image, ProfileKind.Seccomp, null, TestContext.Current.CancellationToken));
        Assert.Contains("does not match its digest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_or_malformed_manifest_is_refused()
    {
        var image = Image("shop/tamper-manifest");
        var manifest = await TestImages.PushImageAsync(_client, image);
        Assert.Equal(manifest.Digest, (await _client.ManifestExistsAsync(image, TestContext.Current.CancellationToken))!.Value.Digest);
        Assert.Null(await _client.ManifestExistsAsync(Image("shop/none"), TestContext.Current.CancellationToken));

        var stored = Directory.EnumerateFiles("/tmp", "data", SearchOption.AllDirectories).First(f => f.Contains($"/{manifest.Digest.Hex}/", StringComparison.Ordinal) && f.Contains("portcullis-registry-", StringComparison.Ordinal));
        File.WriteAllBytes(stored, System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(manifest.Bytes).Replace("schemaVersion\":2", "schemaVersion\":3", StringComparison.Ordinal)));
        // docker-registry itself notices and answers with an error; either way the manifest is refused.
        var byDigest = await Assert.ThrowsAsync<OciException>(() => _client.GetManifestAsync(image with { Tag = null, Digest = manifest.Digest }, TestContext.Current.CancellationToken));
        Assert.Contains($"manifest {manifest.Digest}", byDigest.Message, StringComparison.Ordinal);

        File.WriteAllText(stored, "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.index.v1+json\", \"manifests\": [{\"digest\": 5}]}");
        var malformed = await Assert.ThrowsAsync<OciException>(() => new ProfileArtifacts(_client).DiscoverAsync(image, null, TestContext.Current.CancellationToken));
        Assert.DoesNotContain('\n', malformed.Message);
    }

    [Fact]
    public async Task Skopeo_reads_our_artifact_manifests()
    {
        var skopeo = Requires.Tool("skopeo", "skopeo");
        var image = Image("shop/interop");
        await TestImages.PushImageAsync(_client, image);
        var pushed = await new ProfileArtifacts(_client).PushAsync(image, ProfileKind.Seccomp, System.Text.Encoding.UTF8.GetBytes(Seccomp), Annotations("2026-11-23T10:00:00.000Z"), TestContext.Current.CancellationToken);
        var (code, raw) = Requires.Run(skopeo, "inspect", "--raw", "--tls-verify=false", $"docker://{_registry.Host}/shop/interop@{pushed[0].Artifact.Digest}");
        Assert.True(code == 0, raw);
        Assert.Contains(ProfileArtifactFormat.SeccompType, raw, StringComparison.Ordinal);
        Assert.Equal(pushed[0].Artifact.Digest, Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(raw.TrimEnd('\n'))));
    }

    [Fact]
    public async Task Registry_errors_name_registry_repository_status_and_code()
    {
        var e = await Assert.ThrowsAsync<OciException>(() => _client.GetManifestAsync(Image("shop/missing"), TestContext.Current.CancellationToken));
        Assert.Equal($"{_registry.Host}/shop/missing: manifest v1 not found", e.Message);
        var pull = await Assert.ThrowsAsync<OciException>(() => new ProfileArtifacts(_client).PullAsync(Image("shop/missing"), ProfileKind.Seccomp, null, TestContext.Current.CancellationToken));
        Assert.Contains("HTTP 404", (await Assert.ThrowsAsync<OciException>(() => _client.PullBlobAsync(Image(), Digest.Sha256("x"u8), 10, TestContext.Current.CancellationToken))).Message, StringComparison.Ordinal);
        Assert.NotNull(pull);
    }
}
