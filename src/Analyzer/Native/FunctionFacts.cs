namespace Portcullis.Analyzer.Native;

/// <summary>What one function does directly, before following its calls.</summary>
/// <param name="Calls">Entry addresses inside the library it calls, tail-jumps to or takes as a callback.</param>
/// <param name="Imports">Imported functions it calls or takes the address of.</param>
/// <param name="DynamicImports">Functions it calls through a pointer the library filled with dlsym (see <see cref="ElfCode.DlsymSlots"/>).</param>
/// <param name="Syscalls">Raw syscall numbers it passes to the kernel or to syscall(3).</param>
/// <param name="UnresolvedIndirect">Calls whose target (or syscalls whose number) is not known statically.</param>
internal sealed record FunctionFacts(IReadOnlyList<ulong> Calls, IReadOnlyList<string> Imports, IReadOnlyList<string> DynamicImports, IReadOnlyList<int> Syscalls, int UnresolvedIndirect);
