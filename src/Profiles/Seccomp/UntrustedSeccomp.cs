using System.Text;
using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Loading;

namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// Seccomp JSON from a source the node must not trust (an image's artifact). containerd and CRI-O read profile
/// bytes with Go's encoding/json: keys matched case-insensitively (with Unicode folding), the last of equal keys
/// wins, unknown fields ignored; CRI-O's containers/common also applies Docker's archMap/includes/excludes. So only
/// the plain OCI runtime-spec object is accepted, every key spelled exactly, nothing else in it (Docker's per-rule
/// `comment` aside: no reader gives it meaning, and it is dropped): a profile that could read two ways is refused.
/// `listenerPath`/`listenerMetadata` are refused too: an image does not choose a socket on the node. What the node
/// gets is <see cref="Canonical"/> of the profile read here, the one reading the cluster policy judged.
/// </summary>
public static class UntrustedSeccomp
{
    private static readonly string[] ProfileFields = ["defaultAction", "defaultErrnoRet", "architectures", "flags", "syscalls"];
    private static readonly string[] RuleFields = ["names", "action", "errnoRet", "args", "comment"];
    private static readonly string[] ArgFields = ["index", "value", "valueTwo", "op"];
    private static readonly string[] Recognized = ["listenerPath", "listenerMetadata", "archMap", "includes", "excludes", "name"];

    /// <summary>Reads and validates; throws a <see cref="ProfileException"/> (PCL1012, PCL1022, or the reader's and validator's codes) at the offending key.</summary>
    public static SeccompProfile Read(byte[] content, string name)
    {
        InputReader.Decode(content, name);
        var root = JsonDocReader.Read(content.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? content[3..] : content, name);
        var top = root as DocMap ?? throw FieldReader.WrongType(root, "(document)", "an object");
        CheckKeys(top, ProfileFields, "");
        if (top.Get("syscalls") is DocList rules)
        {
            foreach (var (rule, i) in rules.Items.Select((r, i) => (r, i)))
            {
                if (rule is not DocMap ruleMap)
                    continue;
                CheckKeys(ruleMap, RuleFields, $"syscalls[{i}].");
                if (ruleMap.Get("args") is DocList args)
                {
                    foreach (var (arg, j) in args.Items.Select((a, j) => (a, j)))
                    {
                        if (arg is DocMap argMap)
                            CheckKeys(argMap, ArgFields, $"syscalls[{i}].args[{j}].");
                    }
                }
            }
        }
        var read = SeccompReader.Read(root, new FieldReader());
        var profile = read with { Syscalls = read.Syscalls.Select(r => r with { Comment = null }).ToValueList() };
        if (SeccompValidator.Validate(profile).FirstOrDefault(d => d.Severity == Severity.Error) is { } error)
            throw new ProfileException(error);
        return profile;
    }

    /// <summary>The bytes a node writes: the canonical form, runtime-spec fields only, compact JSON.</summary>
    public static string Canonical(SeccompProfile profile) =>
        Encoding.UTF8.GetString(DocJsonWriter.Write(SeccompWriter.ToDoc(SeccompCanonicalizer.Normalize(profile), includeDockerFields: false), indented: false));

    private static void CheckKeys(DocMap map, string[] allowed, string prefix)
    {
        foreach (var entry in map.Entries)
        {
            if (allowed.Contains(entry.Key, StringComparer.Ordinal))
                continue;
            var folded = Fold(entry.Key);
            if (allowed.Concat(Recognized).FirstOrDefault(k => Fold(k) == folded && k != entry.Key) is { } same)
                throw ProfileException.At(DiagnosticId.DuplicateKey, $"'{entry.Key}' is '{same}' to Go's encoding/json (containerd, CRI-O), which matches keys ignoring case and takes the last: the profile reads two ways", entry.KeyOrigin, prefix + entry.Key);
            var why = entry.Key switch
            {
                "listenerPath" or "listenerMetadata" => "names a seccomp agent on the node, which an image does not choose",
                "archMap" or "includes" or "excludes" or "name" => "is Docker's format, which some runtimes apply and others ignore",
                _ => "is not in the OCI runtime-spec seccomp object, so runtimes ignore it while Portcullis would not",
            };
            throw ProfileException.At(DiagnosticId.FieldNotInRuntimeSpec, $"'{entry.Key}' {why}; an image's seccomp profile is plain OCI runtime-spec JSON", entry.KeyOrigin, prefix + entry.Key);
        }
    }

    // Go's strings.EqualFold: simple Unicode case folding, under which the Kelvin sign is k and the long s is s.
    private static string Fold(string key) =>
        key.Replace('\u212A', 'k').Replace('\u017F', 's').ToUpperInvariant().ToLowerInvariant();
}
