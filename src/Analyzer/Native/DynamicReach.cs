namespace Portcullis.Analyzer.Native;

/// <summary>What one export reaches in libc through dynamic imports and the opened libraries.</summary>
/// <param name="Export">The export followed.</param>
/// <param name="LibcFunctions">libc function to a chain: the export, the shim's functions, "FOO (libssl.so.3)", that library's functions, … the libc function.</param>
/// <param name="Syscalls">Raw syscall numbers issued on the way (libcrypto's getrandom through syscall(3)), with chains.</param>
/// <param name="UnresolvedIn">
/// "library!export" visited on the way whose summary still calls through a pointer it cannot name (libcrypto's EVP
/// method tables, CRYPTO_malloc's replaceable allocator), to the chain that reached it. Not empty: the caller adds
/// what the functions those libraries keep in data reach (<see cref="DynamicLinking.PointerTargets"/>).
/// </param>
/// <param name="NotFound">Imports and dlsym names that no library of the set defines (weak symbols, names of other versions).</param>
public sealed record DynamicReach(
    string Export,
    IReadOnlyDictionary<string, IReadOnlyList<string>> LibcFunctions,
    IReadOnlyDictionary<int, IReadOnlyList<string>> Syscalls,
    IReadOnlyDictionary<string, IReadOnlyList<string>> UnresolvedIn,
    IReadOnlyList<string> NotFound)
{
    public bool Unresolved => UnresolvedIn.Count > 0;
}
