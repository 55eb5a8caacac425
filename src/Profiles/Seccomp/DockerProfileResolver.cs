using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// Turns a Docker-format profile (archMap, includes/excludes) into the plain runtime-spec profile Docker
/// would hand to runc for a given target, following moby's rules: a rule applies when the target arch is
/// among includes.arches, the container holds every includes.caps, the kernel is at least includes.minKernel,
/// and none of excludes.arches / excludes.caps match.
/// </summary>
public static class DockerProfileResolver
{
    public static SeccompProfile Resolve(SeccompProfile profile, DockerTarget target)
    {
        if (!profile.UsesDockerExtensions)
            return profile;

        var architectures = profile.Architectures.Count > 0
            ? profile.Architectures
            : profile.ArchMap.FirstOrDefault(m => m.Architecture == target.Architecture) is { } entry
                ? entry.SubArchitectures.Prepend(entry.Architecture).ToValueList()
                : [target.Architecture];

        var rules = profile.Syscalls
            .Where(r => Applies(r, target))
            .Select(r => r with { Includes = RuleFilter.Empty, Excludes = RuleFilter.Empty })
            .ToValueList();

        return profile with { Architectures = architectures, ArchMap = [], Syscalls = rules };
    }

    private static bool Applies(SeccompRule rule, DockerTarget target)
    {
        var caps = target.Capabilities.ToHashSet(StringComparer.Ordinal);
        var inc = rule.Includes;
        var exc = rule.Excludes;
        if (inc.Arches.Count > 0 && !inc.Arches.Any(a => SeccompArchitectures.FromGoArch(a) == target.Architecture))
            return false;
        if (inc.Caps.Count > 0 && !inc.Caps.All(caps.Contains))
            return false;
        if (inc.MinKernel is not null && target.Kernel is not null && ParseKernel(inc.MinKernel) is { } min && target.Kernel < min)
            return false;
        if (exc.Arches.Any(a => SeccompArchitectures.FromGoArch(a) == target.Architecture))
            return false;
        return !exc.Caps.Any(caps.Contains);
    }

    private static Version? ParseKernel(string text) =>
        Version.TryParse(text.Contains('.', StringComparison.Ordinal) ? text : text + ".0", out var v) ? v : null;
}
