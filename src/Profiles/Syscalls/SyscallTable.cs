using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Syscalls;

/// <summary>
/// Syscall names and numbers per architecture, generated from libseccomp's table (see SyscallData.g.cs).
/// Numbers are as the kernel sees them: x32 numbers carry the x32 bit, MIPS numbers their ABI base.
/// </summary>
public static class SyscallTable
{
    private static readonly Dictionary<string, int> IndexByName = BuildIndex();
    private static readonly Dictionary<string, int> AbiIndex = SyscallData.Abis.Select((abi, i) => (abi, i)).ToDictionary(p => p.abi, p => p.i, StringComparer.Ordinal);
    private static readonly Dictionary<int, Dictionary<int, int>> NameByNumber = [];

    /// <summary>The kernel version the table was generated from.</summary>
    public static string KernelVersion => SyscallData.KernelVersion;

    public static IReadOnlyList<string> Names => SyscallData.Names;

    public static bool Exists(string name) => IndexByName.ContainsKey(name);

    /// <summary>The number of <paramref name="name"/> on <paramref name="arch"/>, or null if that architecture has no such syscall.</summary>
    public static int? Number(string name, SeccompArch arch)
    {
        if (!IndexByName.TryGetValue(name, out var index) || Abi(arch) is not { } abi)
            return null;
        var nr = SyscallData.Numbers[abi][index];
        return nr < 0 ? null : nr;
    }

    public static bool ExistsOn(string name, SeccompArch arch) => Number(name, arch) is not null;

    /// <summary>The name of syscall <paramref name="number"/> on <paramref name="arch"/>, or null for a number the table does not know (a newer kernel).</summary>
    public static string? Name(int number, SeccompArch arch)
    {
        if (Abi(arch) is not { } abi)
            return null;
        Dictionary<int, int> byNumber;
        lock (NameByNumber)
        {
            if (!NameByNumber.TryGetValue(abi, out byNumber!))
            {
                byNumber = [];
                var numbers = SyscallData.Numbers[abi];
                for (var i = 0; i < numbers.Length; i++)
                {
                    if (numbers[i] >= 0)
                        byNumber.TryAdd(numbers[i], i);
                }
                NameByNumber[abi] = byNumber;
            }
        }
        return byNumber.TryGetValue(number, out var index) ? SyscallData.Names[index] : null;
    }

    /// <summary>A name for <paramref name="number"/> that never loses it: the syscall's name, or <c>syscall#N</c> when the table has none.</summary>
    public static string NameOrNumber(int number, SeccompArch arch) =>
        Name(number, arch) ?? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"syscall#{number}");

    /// <summary>All names that exist on <paramref name="arch"/>.</summary>
    public static IEnumerable<string> NamesOn(SeccompArch arch)
    {
        if (Abi(arch) is not { } abi)
            yield break;
        var numbers = SyscallData.Numbers[abi];
        for (var i = 0; i < numbers.Length; i++)
        {
            if (numbers[i] >= 0)
                yield return SyscallData.Names[i];
        }
    }

    /// <summary>The known name closest to <paramref name="name"/> by edit distance, for "did you mean" hints.</summary>
    public static string? Nearest(string name)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in SyscallData.Names)
        {
            var d = EditDistance.Between(name, candidate, bestDistance);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    private static int? Abi(SeccompArch arch) =>
        arch.TableAbi() is { } abi && AbiIndex.TryGetValue(abi, out var i) ? i : null;

    private static Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < SyscallData.Names.Length; i++)
            index[SyscallData.Names[i]] = i;
        return index;
    }
}
