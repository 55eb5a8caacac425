using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Generation;

/// <summary>A generated seccomp.json read back (its rule comments say why each name is allowed), for the report's diff.</summary>
public static class PreviousProfile
{
    public static GeneratedSeccomp Read(string path)
    {
        var input = InputReader.Read(path);
        var profile = SeccompReader.Read(JsonDocReader.Read(input.Utf8, input.DisplayName), new FieldReader());
        var allowed = new SortedDictionary<string, IReadOnlyList<SyscallReason>>(StringComparer.Ordinal);
        foreach (var rule in profile.Syscalls.Where(r => r.Action == SeccompAction.Allow && r.Args.Count == 0))
        {
            var kind = Enum.GetValues<SourceKind>().FirstOrDefault(k => SeccompGenerator.Comment(k) == rule.Comment, SourceKind.Override);
            foreach (var name in rule.Names)
                allowed[name] = [new SyscallReason(kind, "the previous profile")];
        }
        return new GeneratedSeccomp(profile, allowed, [], [], []);
    }
}
