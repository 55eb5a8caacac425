namespace Portcullis.Analyzer.Native;

/// <summary>What one exported function of a native library can reach, each item with one shortest call chain as evidence.</summary>
/// <param name="Export">The exported symbol.</param>
/// <param name="Imports">Imported function to the chain of functions from the export down to the one that calls it.</param>
/// <param name="Syscalls">Raw syscall number to the chain down to the function that issues it (syscall instruction or syscall(3)).</param>
/// <param name="UnresolvedIndirect">Some function on the way calls through a pointer (or issues a syscall) that static analysis cannot name.</param>
public sealed record ExportSummary(
    string Export,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Imports,
    IReadOnlyDictionary<int, IReadOnlyList<string>> Syscalls,
    bool UnresolvedIndirect);
