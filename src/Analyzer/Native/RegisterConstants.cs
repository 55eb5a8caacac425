using Iced.Intel;

namespace Portcullis.Analyzer.Native;

/// <summary>
/// For each of the 16 general-purpose registers, the constants it may hold here, or unknown (null).
/// A set rather than one value so that a syscall number chosen on two branches (if/else, ?:) still resolves.
/// Also the 8-byte stack slots whose contents are known, keyed by their <see cref="SymbolicValue.Kind.Stack"/> address
/// (a value spilled to [rbp-0x10] and reloaded, a buffer snprintf filled).
/// </summary>
internal sealed class RegisterConstants
{
    // More candidates than this means the value is computed, not chosen: treat it as unknown.
    public const int MaxValues = 8;

    private static readonly Register[] CallerSaved =
        [Register.RAX, Register.RCX, Register.RDX, Register.RSI, Register.RDI, Register.R8, Register.R9, Register.R10, Register.R11];

    private readonly long[]?[] values = new long[]?[16];
    private Dictionary<long, long[]>? memory;

    public bool AnyKnown { get; private set; }

    public static RegisterConstants Unknown() => new();

    public RegisterConstants Copy()
    {
        var copy = new RegisterConstants { AnyKnown = AnyKnown };
        Array.Copy(values, copy.values, values.Length);
        if (memory is { Count: > 0 })
            copy.memory = new Dictionary<long, long[]>(memory);
        return copy;
    }

    public IReadOnlyList<long>? Get(Register register) => Index(register) is var i and >= 0 ? values[i] : null;

    public void Set(Register register, long value) => Set(register, [value]);

    public void Set(Register register, long[]? candidates)
    {
        var i = Index(register);
        if (i < 0)
            return;
        values[i] = candidates;
        if (candidates is not null)
            AnyKnown = true;
    }

    public long[]? Load(long stackAddress) => memory is not null && memory.TryGetValue(stackAddress, out var v) ? v : null;

    public void Store(long stackAddress, long[]? candidates)
    {
        if (candidates is null)
        {
            memory?.Remove(stackAddress);
            return;
        }
        (memory ??= [])[stackAddress] = candidates;
        AnyKnown = true;
    }

    /// <summary>Drops the stack slots that <paramref name="doomed"/> picks (a write that may overlap them, a moved rsp).</summary>
    public void ForgetMemory(Func<long, bool> doomed)
    {
        if (memory is not { Count: > 0 })
            return;
        foreach (var key in memory.Keys.Where(doomed).ToList())
            memory.Remove(key);
    }

    public bool HasMemory => memory is { Count: > 0 };

    public void Forget(Register register)
    {
        var i = Index(register);
        if (i >= 0)
            values[i] = null;
    }

    /// <summary>A call may change every register the SysV ABI lets a callee clobber.</summary>
    public void ForgetCallerSaved()
    {
        foreach (var r in CallerSaved)
            Forget(r);
    }

    /// <summary>Where two paths meet, a register is known only if both know it; its candidates are both sets. Says whether this changed.</summary>
    public bool MergeFrom(RegisterConstants other)
    {
        var (any, changed) = (false, false);
        for (var i = 0; i < values.Length; i++)
        {
            var (a, b) = (values[i], other.values[i]);
            var merged = a is null || b is null ? null : Union(a, b);
            changed |= !ReferenceEquals(merged, a);
            values[i] = merged;
            any |= merged is not null;
        }
        if (memory is { Count: > 0 })
        {
            foreach (var key in memory.Keys.ToList())
            {
                var a = memory[key];
                var merged = other.memory is not null && other.memory.TryGetValue(key, out var b) ? Union(a, b) : null;
                if (merged is null)
                {
                    memory.Remove(key);
                    changed = true;
                }
                else
                {
                    changed |= !ReferenceEquals(merged, a);
                    memory[key] = merged;
                    any = true;
                }
            }
        }
        AnyKnown = any;
        return changed;
    }

    // Returns a itself when b adds nothing, so that callers can tell a fixpoint by reference. Stack addresses do not
    // merge: a balanced function has one rsp wherever paths meet, and one that differs (code after a call that does
    // not return, falling into a loop) would otherwise grow a candidate per pass until the loop gives up.
    private static long[]? Union(long[] a, long[] b)
    {
        if (ReferenceEquals(a, b) || b.All(a.Contains))
            return a;
        if (a.Any(IsStack) || b.Any(IsStack))
            return null;
        var union = a.Union(b).Order().ToArray();
        return union.Length > MaxValues ? null : union;
    }

    private static bool IsStack(long value) => SymbolicValue.KindOf(value) == SymbolicValue.Kind.Stack;

    private static int Index(Register register)
    {
        if (!register.IsGPR())
            return -1;
        var full = register.GetFullRegister();
        return full is >= Register.RAX and <= Register.R15 ? full - Register.RAX : -1;
    }
}
