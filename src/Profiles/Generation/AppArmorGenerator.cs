using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Recordings;

namespace Portcullis.Profiles.Generation;

/// <summary>
/// An AppArmor profile from a recording: file rules from the files touched (paths generalised, AppArmor's glob
/// characters in names escaped; read → r, write/create/delete → w, a rename's source → rw, a hard link's new
/// name → l, a lock → k, executed → mrix plus mr on its ELF interpreter, which the kernel maps at execve without
/// a syscall naming it; mapped executable → mr; directories end in /), network rules from the socket families
/// and types, capability rules from the capabilities seen. Stat-only accesses need no rule. Nothing that was
/// not recorded is allowed; apparmor_parser and a kernel with AppArmor are the judges (tests).
/// </summary>
public static class AppArmorGenerator
{
    public static AppArmorProfile FromRecording(Recording recording, string name, bool complain = false)
    {
        var files = new Dictionary<string, FilePermissions>(StringComparer.Ordinal);
        var observed = recording.Files.ToList();
        foreach (var interpreter in recording.Files.Where(f => f.Access.HasFlag(FileAccessKind.Execute)).Select(f => ElfInterpreter.Of(f.Path)).OfType<string>().Distinct(StringComparer.Ordinal))
            observed.Add(new FileObservation(interpreter, FileAccessKind.MmapExec | FileAccessKind.Read, new HashSet<Backend>()));
        foreach (var f in observed)
        {
            if (Permissions(f.Access) is not { } perms)
                continue;
            var path = PathGeneralizer.Generalize(f.Path);
            if (Directory.Exists(f.Path) && !path.EndsWith('/'))
                path += "/";
            files[path] = files.TryGetValue(path, out var existing) ? existing.Union(perms) : perms;
        }

        // A hard link may have only permissions its target has (apparmor.d, "link rules"): targets get what the links got.
        var linked = observed.Where(f => f.Access.HasFlag(FileAccessKind.Link)).Select(f => files.GetValueOrDefault(PathGeneralizer.Generalize(f.Path))).OfType<FilePermissions>()
            .Aggregate((FilePermissions?)null, (all, p) => all is null ? p : all.Union(p));
        if (linked is not null)
        {
            foreach (var target in observed.Where(f => f.Access.HasFlag(FileAccessKind.LinkSource)).Select(f => PathGeneralizer.Generalize(f.Path)).Distinct(StringComparer.Ordinal).ToList())
                files[target] = files[target].Union(linked with { Link = false });
        }

        var rules = new List<AppArmorRule>();
        rules.AddRange(files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new FileRule(f.Key, f.Value)));
        rules.AddRange(NetworkRules(recording.Sockets));
        if (recording.Capabilities.Count > 0)
            rules.Add(new CapabilityRule(recording.Capabilities.Select(c => c.ToLowerInvariant().Replace("cap_", "", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToValueList()));

        return new AppArmorProfile
        {
            Name = name,
            Flags = complain ? ["complain"] : [],
            Rules = rules.ToValueList(),
        };
    }

    // socket() tells family and type; bind/connect only the family. Families AppArmor has no name for are left out (denied).
    private static IEnumerable<NetworkRule> NetworkRules(IReadOnlyList<SocketObservation> sockets)
    {
        foreach (var family in sockets.GroupBy(s => s.FamilyName).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (family.Key.StartsWith("family", StringComparison.Ordinal))
                continue;
            var types = family.Where(s => s.Type != 0).Select(s => s.TypeName).Where(t => !t.StartsWith("type", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
            if (types.Count == 0)
                yield return new NetworkRule(family.Key, null);
            foreach (var type in types)
                yield return new NetworkRule(family.Key, type);
        }
    }

    private static FilePermissions? Permissions(FileAccessKind access)
    {
        var read = access.HasFlag(FileAccessKind.Read) || access.HasFlag(FileAccessKind.MmapExec) || access.HasFlag(FileAccessKind.Execute);
        var write = access.HasFlag(FileAccessKind.Write) || access.HasFlag(FileAccessKind.Create) || access.HasFlag(FileAccessKind.Delete);
        var mmap = access.HasFlag(FileAccessKind.MmapExec) || access.HasFlag(FileAccessKind.Execute);
        var exec = access.HasFlag(FileAccessKind.Execute) ? "ix" : null;
        var link = access.HasFlag(FileAccessKind.Link);
        var lockFile = access.HasFlag(FileAccessKind.Lock);
        if (!read && !write && !mmap && exec is null && !link && !lockFile)
            return null;
        return new FilePermissions(read, write, false, link, lockFile, mmap, exec);
    }
}
