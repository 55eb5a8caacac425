using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// Removes from <c>a</c> every syscall that <c>b</c> names in any rule, so those syscalls fall to <c>a</c>'s
/// default action. This is how a list of denials is taken out of a generated profile.
/// </summary>
public static class SeccompSubtractor
{
    public static SeccompProfile Subtract(SeccompProfile a, SeccompProfile b)
    {
        var removed = b.Syscalls.SelectMany(r => r.Names).ToHashSet(StringComparer.Ordinal);
        var rules = a.Syscalls
            .Select(r => r with { Names = r.Names.Where(n => !removed.Contains(n)).ToValueList(), NameOrigins = default })
            .Where(r => r.Names.Count > 0)
            .ToValueList();
        return SeccompCanonicalizer.Normalize(a with { Syscalls = rules });
    }
}
