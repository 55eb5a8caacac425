using System.Text;
using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Generation;

/// <summary>
/// The names a generated profile allows only for the container runtime (what runc/crun make after loading the
/// filter, needed by nothing the app does), and the profile tailored to one runtime version and no_new_privs.
/// A generated profile is the portable union: every runtime's part. The image carries the runtime-only names
/// beside the profile (an artifact annotation), so a node that knows its runtime can drop the names that runtime
/// never makes after the filter, which for runc with no_new_privs are the identity switch (setuid, setgid,
/// setgroups, capset, ...). Tailoring only ever removes names: whatever the annotation says, the result allows
/// a subset of the profile it started from.
/// </summary>
public static class ContainerRuntimePart
{
    /// <summary>The runtime-only names of a generated profile: its container-runtime rule minus what any other unconditional allow rule allows.</summary>
    public static IReadOnlyList<string> NamesIn(SeccompProfile generated)
    {
        var unconditional = generated.Syscalls.Where(r => r.Action == SeccompAction.Allow && r.Args.Count == 0 && !r.HasDockerFilters).ToList();
        var elsewhere = unconditional.Where(r => r.Comment != SeccompGenerator.BaseComment).SelectMany(r => r.Names).ToHashSet(StringComparer.Ordinal);
        return unconditional.Where(r => r.Comment == SeccompGenerator.BaseComment).SelectMany(r => r.Names)
            .Where(n => !elsewhere.Contains(n) && ContainerRuntimeBase.Names.Contains(n, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The annotation's value: the names, comma-separated.</summary>
    public static string Format(IEnumerable<string> names) => string.Join(',', names);

    /// <summary>Reads an annotation an image wrote: only names of <see cref="ContainerRuntimeBase.Names"/> count, anything else is ignored.</summary>
    public static IReadOnlyList<string> Parse(string? annotation) =>
        (annotation ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(n => ContainerRuntimeBase.Names.Contains(n, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The bytes a node agent writes for a profile the cluster stores (<paramref name="stored"/>, canonical runtime-spec
    /// JSON) on a node running <paramref name="variant"/> (null: not known): tailored when the variant was probed and
    /// the image named runtime-only names, otherwise the stored bytes. `portcullis pull --runtime` writes the same.
    /// </summary>
    public static byte[] NodeFile(byte[] stored, string name, IReadOnlyList<string> runtimeOnly, RuntimeBaseVariant? variant)
    {
        if (runtimeOnly.Count == 0 || variant is not { Proven: true })
            return stored;
        SeccompProfile profile;
        try
        {
            profile = UntrustedSeccomp.Read(stored, name);
        }
        catch (ProfileException)
        {
            return stored; // not a profile this reader accepts: leave it as the cluster holds it
        }
        return Encoding.UTF8.GetBytes(UntrustedSeccomp.Canonical(Tailor(profile, runtimeOnly, variant)));
    }

    /// <summary>
    /// The profile for <paramref name="variant"/>: the runtime-only names that runtime does not make are taken out
    /// of every unconditional allow rule. An unproven variant (the union) leaves the profile as it is.
    /// </summary>
    public static SeccompProfile Tailor(SeccompProfile profile, IReadOnlyCollection<string> runtimeOnly, RuntimeBaseVariant variant)
    {
        if (!variant.Proven)
            return profile;
        var drop = runtimeOnly.Except(variant.Names, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        if (drop.Count == 0)
            return profile;
        var rules = profile.Syscalls
            .Select(r => r.Action == SeccompAction.Allow && r.Args.Count == 0 && !r.HasDockerFilters
                ? r with { Names = r.Names.Where(n => !drop.Contains(n)).ToValueList(), NameOrigins = default }
                : r)
            .Where(r => r.Names.Count > 0)
            .ToValueList();
        return SeccompCanonicalizer.Normalize(profile with { Syscalls = rules });
    }
}
