using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Spo;

/// <summary>
/// Resolves <c>spec.baseProfileName</c> against profiles given locally: the result is the union (merge) of
/// the profile and its base chain. Follows bases recursively up to <see cref="MaxDepth"/>, refuses cycles,
/// and refuses <c>oci://</c> references, which need a registry (portcullis pull).
/// </summary>
public sealed class BaseProfileResolver(IEnumerable<SpoSeccompProfile> catalog)
{
    public const int MaxDepth = 10;

    private readonly Dictionary<string, SpoSeccompProfile> _byName = catalog
        .GroupBy(p => p.Meta.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    public SeccompProfile Resolve(SpoSeccompProfile profile, DiagnosticBag diagnostics) =>
        Resolve(profile, [], diagnostics);

    private SeccompProfile Resolve(SpoSeccompProfile profile, List<string> chain, DiagnosticBag diagnostics)
    {
        if (profile.BaseProfileName is not { } baseName)
            return profile.Spec;

        var path = chain.Append(profile.Meta.Name).ToList();
        var origin = profile.Meta.Origin;
        if (baseName.StartsWith("oci://", StringComparison.Ordinal))
            throw ProfileException.At(DiagnosticId.BaseProfileRemote, $"base profile '{baseName}' is in a registry; pull it first (portcullis pull) and pass the file with --base", origin, "spec.baseProfileName");
        if (path.Contains(baseName, StringComparer.Ordinal))
            throw ProfileException.At(DiagnosticId.BaseProfileCycle, $"base profiles form a cycle: {string.Join(" -> ", path.Append(baseName))}", origin, "spec.baseProfileName");
        if (path.Count > MaxDepth)
            throw ProfileException.At(DiagnosticId.BaseProfileTooDeep, $"base profile chain is deeper than {MaxDepth}: {string.Join(" -> ", path)}", origin, "spec.baseProfileName");
        if (!_byName.TryGetValue(baseName, out var baseProfile))
            throw ProfileException.At(DiagnosticId.BaseProfileNotFound, $"base profile '{baseName}' was not found among the given profiles ({(_byName.Count == 0 ? "none" : string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal)))}); pass its file with --base", origin, "spec.baseProfileName");

        var resolvedBase = Resolve(baseProfile, path, diagnostics);
        return SeccompMerger.Merge([profile.Spec, resolvedBase], diagnostics);
    }
}
