namespace Portcullis.Analyzer.Native;

/// <summary>What one exported function of a native library can reach, each item with one shortest call chain as evidence.</summary>
/// <param name="Export">The exported symbol.</param>
/// <param name="Imports">Imported function to the chain of functions from the export down to the one that calls it.</param>
/// <param name="DynamicImports">
/// Function looked up with dlsym (a name ending in * takes a version suffix) to the chain down to the function that
/// calls it through the pointer the library stored; <see cref="DynamicLinking"/> follows these into the opened libraries.
/// </param>
/// <param name="Syscalls">Raw syscall number to the chain down to the function that issues it (syscall instruction or syscall(3)).</param>
/// <param name="UnresolvedIndirect">Some function on the way calls through a pointer (or issues a syscall) that static analysis cannot name; dlsym slots are named.</param>
public sealed record ExportSummary(
    string Export,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Imports,
    IReadOnlyDictionary<string, IReadOnlyList<string>> DynamicImports,
    IReadOnlyDictionary<int, IReadOnlyList<string>> Syscalls,
    bool UnresolvedIndirect);
