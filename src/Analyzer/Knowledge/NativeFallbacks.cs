namespace Portcullis.Analyzer.Knowledge;

/// <summary>
/// Functions of a system library that run only after a syscall every profile allows has failed, so under a Portcullis
/// profile they never run: analysis does not follow them. Each is found in the library by the one import only it makes
/// (a stripped library has no name for its static functions), and only where the library's code has the shape the rule
/// rests on (<see cref="Holds"/>): a build that differs (the wait inlined, seeding from /dev/random only) is followed
/// as any other code.
/// <para>OpenSSL 3 seeds its DRBG with getentropy (getrandom) and waits for /dev/random (crypto/rand_unix.c,
/// wait_random_seeded: shmget for the "seeded" marker, select on /dev/random, shmat, and shmdt at exit) only when that
/// gave no entropy, which on Linux 3.17 and later happens only if getrandom is refused (or a caller asks the seed
/// source for more than getentropy's 256 bytes at once; the DRBGs .NET uses ask for 48 at most). Every profile allows
/// getrandom (the .NET runtime base), so without this each app using TLS or a hash would keep names it never makes.</para>
/// </summary>
public static class NativeFallbacks
{
    /// <summary>In a library whose file name starts with <paramref name="Library"/>, the function importing <paramref name="Marker"/> runs only when <paramref name="Failed"/> has failed.</summary>
    public sealed record Fallback(string Library, string Marker, string Failed, string Why);

    public static IReadOnlyList<Fallback> All { get; } =
    [
        new("libcrypto.so.3", "shmget", "getrandom", "OpenSSL's /dev/random wait, entered only when getrandom gave no entropy"),
    ];

    /// <summary>
    /// The function the fallback names, if the library has the shape it rests on: exactly one function makes the
    /// marker import, nothing can reach it but a direct call (not an export, not kept in data), and every function
    /// calling it makes the failed syscall itself (getentropy, getrandom, or syscall(SYS_getrandom)).
    /// </summary>
    internal static int? Holds(Fallback fallback, IReadOnlyList<Native.GraphFunction> functions, IReadOnlyList<string> strings, IReadOnlySet<int> enteredOtherwise)
    {
        var marked = Enumerable.Range(0, functions.Count).Where(i => functions[i].Imports.Any(s => strings[s] == fallback.Marker)).ToList();
        if (marked is not [var function] || enteredOtherwise.Contains(function))
            return null;
        var callers = Enumerable.Range(0, functions.Count).Where(i => functions[i].Calls.Contains(function)).ToList();
        return callers.Count > 0 && callers.All(c => Makes(functions[c], strings, fallback.Failed)) ? function : null;
    }

    private static bool Makes(Native.GraphFunction function, IReadOnlyList<string> strings, string syscall) =>
        function.Imports.Any(i => LibcSyscalls.For(strings[i])?.Contains(syscall) == true)
        || function.Syscalls.Any(n => Profiles.Syscalls.SyscallTable.Name(n, Profiles.Seccomp.SeccompArch.X86_64) == syscall);

    /// <summary>The fallbacks known for the library file <paramref name="fileName"/>.</summary>
    public static IReadOnlyList<Fallback> For(string fileName) =>
        [.. All.Where(f => fileName.StartsWith(f.Library, StringComparison.Ordinal))];
}
