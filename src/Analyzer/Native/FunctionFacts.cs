namespace Portcullis.Analyzer.Native;

/// <summary>What one function does directly, before following its calls.</summary>
/// <param name="Calls">Entry addresses inside the library it calls, tail-jumps to or takes as a callback.</param>
/// <param name="Imports">Imported functions it calls or takes the address of.</param>
/// <param name="DynamicImports">Functions it calls through a pointer the library filled with dlsym (see <see cref="ElfCode.DlsymSlots"/>).</param>
/// <param name="Syscalls">Raw syscall numbers it passes to the kernel or to syscall(3).</param>
/// <param name="UnresolvedIndirect">Calls whose target (or syscalls whose number) is not known statically.</param>
/// <param name="CalledParameters">Bit n: it calls through its incoming argument n, which its callers account for (<see cref="CallSite"/>).</param>
/// <param name="Sites">Its direct calls and tail jumps with what each passes; null when its dataflow did not run.</param>
/// <param name="Taken">Functions among <paramref name="Calls"/> whose address it takes (or calls through a pointer) rather than calls by address.</param>
internal sealed record FunctionFacts(IReadOnlyList<ulong> Calls, IReadOnlyList<string> Imports, IReadOnlyList<string> DynamicImports, IReadOnlyList<int> Syscalls, int UnresolvedIndirect, int CalledParameters = 0, IReadOnlyList<CallSite>? Sites = null, IReadOnlyList<ulong>? Taken = null);

/// <summary>
/// A direct call or tail jump and, per argument register (rdi … r9), what a callee calling through that argument would
/// reach: <see cref="Unknown"/>, or a mask of the caller's own arguments it may be (0: nothing beyond what the caller
/// already reaches: functions, slots and imports whose address it passes are edges of the caller).
/// </summary>
internal sealed record CallSite(ulong Callee, int[] Arguments)
{
    public const int Unknown = -1;
}
