namespace Portcullis.Analyzer.Knowledge;

/// <summary>
/// Functions of a system library that run only after a syscall every profile allows has failed, so under a Portcullis
/// profile they never run: analysis does not follow them. Each is found in the library by the one import only it makes
/// (a stripped library has no name for its static functions), and each is checked against this machine's library by
/// a test: exactly one function makes that import, and its only caller makes the syscall first.
/// <para>OpenSSL 3 seeds its DRBG with getentropy (getrandom) and waits for /dev/random (crypto/rand_unix.c,
/// wait_random_seeded: shmget for the "seeded" marker, select on /dev/random, shmat, and shmdt at exit) only when that
/// gave no entropy, which on Linux 3.17 and later happens only if getrandom is refused. Every profile allows it (the
/// .NET runtime base), so without this each app using TLS or a hash would keep five names it never makes.</para>
/// </summary>
public static class NativeFallbacks
{
    /// <summary>In a library whose file name starts with <paramref name="Library"/>, the function importing <paramref name="Marker"/> runs only when <paramref name="Failed"/> has failed.</summary>
    public sealed record Fallback(string Library, string Marker, string Failed, string Why);

    public static IReadOnlyList<Fallback> All { get; } =
    [
        new("libcrypto.so.3", "shmget", "getrandom", "OpenSSL's /dev/random wait, entered only when getrandom gave no entropy"),
    ];

    /// <summary>The fallbacks known for the library file <paramref name="fileName"/>.</summary>
    public static IReadOnlyList<Fallback> For(string fileName) =>
        [.. All.Where(f => fileName.StartsWith(f.Library, StringComparison.Ordinal))];
}
