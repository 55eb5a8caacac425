using System.Text.RegularExpressions;

namespace Portcullis.Profiles.Generation;

/// <summary>
/// Turns recorded paths into AppArmor globs that also match the next run: /proc/&lt;pid&gt; → /proc/@{pid},
/// task ids → @{tid}, and in temporary directories (/tmp, /var/tmp, /dev/shm, /run/user) digit runs and
/// random-looking name parts → *.
/// </summary>
public static partial class PathGeneralizer
{
    private static readonly string[] TempRoots = ["/tmp/", "/var/tmp/", "/dev/shm/", "/run/user/"];

    public static string Generalize(string path)
    {
        // A recorded name is literal: AppArmor's glob and variable characters in it are escaped before any glob is made.
        var p = Escape(path);
        p = ProcTask().Replace(p, "/proc/@{pid}/task/@{tid}");
        p = ProcPid().Replace(p, "/proc/@{pid}");
        if (TempRoots.Any(r => p.StartsWith(r, StringComparison.Ordinal)))
        {
            var root = TempRoots.First(r => p.StartsWith(r, StringComparison.Ordinal));
            var rest = p[root.Length..];
            rest = Guid().Replace(rest, "*");
            rest = RandomToken().Replace(rest, m => LooksRandom(m.Value) ? "*" : m.Value);
            rest = Digits().Replace(rest, "*");
            rest = Stars().Replace(rest, "*");
            p = root + rest;
        }
        return p;
    }

    private static string Escape(string path)
    {
        if (path.AsSpan().IndexOfAny(GlobCharacters) < 0)
            return path;
        var sb = new System.Text.StringBuilder(path.Length + 4);
        foreach (var c in path)
        {
            if (GlobCharacters.Contains(c))
                sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> GlobCharacters = System.Buffers.SearchValues.Create("*?[]{}^\\");

    // Mixed letters and digits, or mixed case, in a run of six or more: mkstemp-style suffixes.
    private static bool LooksRandom(string token) =>
        (token.Any(char.IsDigit) && token.Any(char.IsLetter)) || (token.Any(char.IsUpper) && token.Any(char.IsLower) && token.Length >= 6 && !token.All(char.IsLetter));

    [GeneratedRegex(@"^/proc/\d+/task/\d+")]
    private static partial Regex ProcTask();

    [GeneratedRegex(@"^/proc/\d+(?=/|$)")]
    private static partial Regex ProcPid();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"[A-Za-z0-9]{6,}")]
    private static partial Regex RandomToken();

    [GeneratedRegex(@"\d{3,}")]
    private static partial Regex Digits();

    [GeneratedRegex(@"\*{2,}")]
    private static partial Regex Stars();
}
