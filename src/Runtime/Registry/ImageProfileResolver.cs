using Portcullis.Oci;
using Portcullis.Oci.Artifacts;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Registry;

/// <summary>
/// Image → digest → platform manifest → newest seccomp and AppArmor referrers → checked content. Tags are
/// resolved with the pod's credentials and cached per credential set for a short time (tags move); what an
/// image digest carries is cached by digest and credential set, for longer (a profile can be attached after
/// the image was pushed): a pod without pull rights never sees, or joins, another's lookup.
/// </summary>
public sealed class ImageProfileResolver(RegistryClientPool clients, RuntimeOptions options, TimeProvider time)
{
    private readonly ExpiringCache<string, Digest> _tags = new(time, options.TagCacheLifetime, 10_000);
    private readonly ExpiringCache<string, ResolvedImage> _images = new(time, options.ProfileCacheLifetime, 10_000);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<ResolvedImage>> _inFlight = new(StringComparer.Ordinal);

    public async Task<ResolvedImage> ResolveAsync(string image, PullCredentials credentials, CancellationToken cancel)
    {
        var named = ImageReference.Parse(image);
        // Network calls go to where the registry can be reached; what pods see keeps the name they used.
        var reference = named with { Registry = options.Reach(named.Registry) };
        var client = clients.For(credentials.WithMirrors(options.RegistryMirrors));
        var digest = reference.Digest ?? await TagDigestAsync(client, reference, credentials, cancel).ConfigureAwait(false);
        var repository = reference with { Tag = null, Digest = digest };
        var key = $"{credentials.Key}\n{named.Registry}/{named.Repository}@{digest}";
        if (_images.TryGet(key, out var cached))
        {
            RuntimeMetrics.RegistryCache.WithLabels("hit").Inc();
            return cached;
        }
        RuntimeMetrics.RegistryCache.WithLabels("miss").Inc();
        // Pods of one Deployment are admitted side by side: one lookup per image, the others wait for it.
        // It runs on its own time budget, so one caller giving up does not fail the others.
        var lookup = _inFlight.GetOrAdd(key, k => Task.Run(async () =>
        {
            try
            {
                using var budget = new CancellationTokenSource(options.AdmissionBudget, time);
                var found = await LookUpAsync(client, repository, budget.Token).ConfigureAwait(false);
                var resolved = found with
                {
                    Pinned = found.Pinned with { Registry = named.Registry },
                    Seccomp = found.Seccomp is { } s ? s with { Repository = s.Repository with { Registry = named.Registry } } : null,
                    AppArmor = found.AppArmor is { } a ? a with { Repository = a.Repository with { Registry = named.Registry } } : null,
                };
                _images.Set(k, resolved);
                return resolved;
            }
            finally
            {
                _inFlight.TryRemove(k, out _);
            }
        }, CancellationToken.None));
        try
        {
            return await lookup.WaitAsync(cancel).ConfigureAwait(false);
        }
        finally
        {
            // A lookup that finished before it was stored would otherwise stay, failures included.
            if (lookup.IsCompleted)
                _inFlight.TryRemove(KeyValuePair.Create(key, lookup));
        }
    }

    private async Task<Digest> TagDigestAsync(RegistryClient client, ImageReference reference, PullCredentials credentials, CancellationToken cancel)
    {
        var key = credentials.Key + "\n" + reference;
        if (_tags.TryGet(key, out var digest))
            return digest;
        RuntimeMetrics.RegistryLookups.WithLabels("tag").Inc();
        var head = await client.ManifestExistsAsync(reference, cancel).ConfigureAwait(false)
            ?? throw new OciException($"{reference}: no such image in the registry");
        _tags.Set(key, head.Digest);
        return head.Digest;
    }

    private async Task<ResolvedImage> LookUpAsync(RegistryClient client, ImageReference repository, CancellationToken cancel)
    {
        RuntimeMetrics.RegistryLookups.WithLabels("manifest").Inc();
        var manifest = await client.GetManifestAsync(repository, cancel).ConfigureAwait(false);
        var subject = manifest.Descriptor;
        string? platform = null;
        if (manifest.IsIndex)
        {
            var platforms = manifest.Platforms(repository.ToString());
            var chosen = options.Platforms.Select(p => platforms.FirstOrDefault(d => d.Platform == p)).FirstOrDefault(d => d is not null);
            if (chosen is null)
                return new ResolvedImage(repository, null, null, null);
            subject = chosen;
            platform = chosen.Platform;
        }
        var pinned = repository with { Digest = subject.Digest };
        var seccomp = await NewestAsync(client, pinned, subject, ProfileKind.Seccomp, cancel).ConfigureAwait(false);
        var appArmor = await NewestAsync(client, pinned, subject, ProfileKind.AppArmor, cancel).ConfigureAwait(false);
        return new ResolvedImage(pinned, platform, seccomp, appArmor);
    }

    private static async Task<FoundProfile?> NewestAsync(RegistryClient client, ImageReference image, Descriptor subject, ProfileKind kind, CancellationToken cancel)
    {
        RuntimeMetrics.RegistryLookups.WithLabels("referrers").Inc();
        var referrers = await client.ListReferrersAsync(image, subject.Digest, ProfileArtifactFormat.ArtifactType(kind), cancel).ConfigureAwait(false);
        var newest = referrers
            .Where(r => r.ArtifactType == ProfileArtifactFormat.ArtifactType(kind))
            .OrderByDescending(r => r.Annotations.GetValueOrDefault(ProfileArtifactFormat.Created, ""), StringComparer.Ordinal)
            .ThenBy(r => r.Digest.ToString(), StringComparer.Ordinal)
            .FirstOrDefault();
        if (newest is null)
            return null;
        RuntimeMetrics.RegistryLookups.WithLabels("artifact").Inc();
        var pulled = await new ProfileArtifacts(client).PullArtifactAsync(image, kind, newest, subject, cancel).ConfigureAwait(false);
        return new FoundProfile(kind == ProfileKind.Seccomp ? ProfileType.Seccomp : ProfileType.AppArmor, image with { Digest = null, Tag = null }, newest.Digest, subject.Digest, pulled.Content);
    }
}
