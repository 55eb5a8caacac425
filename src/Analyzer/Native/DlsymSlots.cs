using System.Buffers.Binary;
using System.Text;
using Iced.Intel;
using static Portcullis.Analyzer.Native.SymbolicValue;

namespace Portcullis.Analyzer.Native;

internal enum CallKind
{
    None,

    /// <summary>dlsym or a wrapper of it: returns the address of the function named by argument <see cref="CallEffect.Name"/>.</summary>
    Lookup,

    /// <summary>The snprintf family: writes to argument <see cref="CallEffect.Buffer"/> the text of format argument <see cref="CallEffect.Format"/>.</summary>
    Format,
}

internal readonly record struct CallEffect(CallKind Kind, int Name = 0, int Buffer = 0, int Format = 0);

/// <summary>What the calls that matter for finding dlsym's results do, told from the call's target.</summary>
internal sealed class CallModel(ElfCode elf, IReadOnlyDictionary<ulong, int> wrappers)
{
    public CallEffect Effect(in Instruction instr)
    {
        string? name = null;
        if (instr.Op0Kind is OpKind.NearBranch16 or OpKind.NearBranch32 or OpKind.NearBranch64)
        {
            var target = instr.NearBranchTarget;
            if (wrappers.TryGetValue(target, out var n))
                return new CallEffect(CallKind.Lookup, n);
            elf.PltStubs.TryGetValue(target, out name);
        }
        else if (instr.Op0Kind == OpKind.Memory && instr.IsIPRelativeMemoryOperand)
            elf.GotSlots.TryGetValue(instr.IPRelativeMemoryAddress, out name);
        if (name is not null && elf.LocalFunctions.TryGetValue(name, out var local) && wrappers.TryGetValue(local, out var through))
            return new CallEffect(CallKind.Lookup, through);
        return name switch
        {
            "dlsym" or "dlvsym" => new CallEffect(CallKind.Lookup, 1),
            "snprintf" => new CallEffect(CallKind.Format, Buffer: 0, Format: 2),
            "sprintf" => new CallEffect(CallKind.Format, Buffer: 0, Format: 1),
            "__snprintf_chk" => new CallEffect(CallKind.Format, Buffer: 0, Format: 4),
            "__sprintf_chk" => new CallEffect(CallKind.Format, Buffer: 0, Format: 3),
            _ => default,
        };
    }
}

/// <summary>
/// The global pointers a library fills with dlsym and calls through: the OpenSSL shim's FOO_ptr = dlsym(libssl, "FOO"),
/// ICU's by a name snprintf prints ("u_strlen%s" with the version suffix), GSSAPI's. Found statically: the functions that
/// call dlsym (or a wrapper that passes its argument on) are run through <see cref="ConstantFlow"/>, which follows the
/// name from its lea, a spill to the stack or an snprintf buffer into dlsym, and the result to the store into the slot,
/// merging branches so that "FOO, else FOO_3, else a local fallback" keeps every candidate.
/// </summary>
internal sealed class DlsymSlots
{
    // A wrapper of a wrapper of dlsym is as deep as real code goes.
    private const int MaxWrapperDepth = 3;

    private const int MaxName = 256;

    private static readonly DlsymSlots Empty = new([], [], new HashSet<ulong>());

    private DlsymSlots(Dictionary<ulong, IReadOnlyList<string>> names, Dictionary<ulong, IReadOnlyList<ulong>> fallbacks, HashSet<ulong> incomplete) =>
        (Names, Fallbacks, Incomplete) = (names, fallbacks, incomplete);

    /// <summary>
    /// Slot address to the names dlsym looked up for it, in address order of the strings. A name printed with a
    /// run-time suffix ends in *: "u_strlen*" is u_strlen, u_strlen_72 or the like.
    /// </summary>
    public IReadOnlyDictionary<ulong, IReadOnlyList<string>> Names { get; }

    /// <summary>Functions of the library itself stored in the slot when the lookup fails.</summary>
    public IReadOnlyDictionary<ulong, IReadOnlyList<ulong>> Fallbacks { get; }

    /// <summary>Slots that were also given a value the analysis cannot name: a call through them stays unresolved.</summary>
    public IReadOnlySet<ulong> Incomplete { get; }

    public static DlsymSlots Find(ElfCode elf)
    {
        var stubs = elf.PltStubs.Where(kv => kv.Value is "dlsym" or "dlvsym").Select(kv => kv.Key).ToHashSet();
        var got = elf.GotSlots.Where(kv => kv.Value is "dlsym" or "dlvsym").Select(kv => kv.Key).ToHashSet();
        if (stubs.Count == 0 && got.Count == 0)
            return Empty;

        var wrappers = new Dictionary<ulong, int>();
        var model = new CallModel(elf, wrappers);
        var results = new Dictionary<ulong, IReadOnlyList<(ulong Address, long[]? Values)>>();
        var pending = Callers(elf, stubs, got);
        var factory = new InstructionInfoFactory();
        for (var depth = 0; depth <= MaxWrapperDepth && pending.Count > 0; depth++)
        {
            var newWrappers = new HashSet<ulong>();
            foreach (var function in pending.Order())
            {
                var end = elf.EndOf(function);
                var flow = new ConstantFlow(elf.Decode(function, end), function, end, factory, elf, model, parameters: true);
                results[function] = flow.Stores;
                if (WrapperArgument(flow.Lookups) is { } argument && wrappers.TryAdd(function, argument))
                    newWrappers.Add(function);
            }
            pending = newWrappers.Count == 0 ? [] : Callers(elf, newWrappers, new HashSet<ulong>());
        }
        var found = Classify(elf, results.Values.SelectMany(s => s));
        if (found.Names.Count == 0)
            return found;

        // Any other function that may write a slot (a store to it, or its address in a register) is run through the
        // flow too: what it stores joins the slot's values, so a slot the program also sets to a pointer of its own
        // is incomplete rather than trusted.
        foreach (var function in elf.FunctionStarts.Where(f => !results.ContainsKey(f)))
        {
            var end = elf.EndOf(function);
            var code = elf.Decode(function, end);
            if (code.Exists(i => MayWrite(i, found.Names)))
                results[function] = new ConstantFlow(code, function, end, factory, elf, model, parameters: true).Stores;
        }
        return Classify(elf, results.Values.SelectMany(s => s));
    }

    /// <summary>A store to a slot, or anything but a load, compare or call through it (lea: its address may be written through).</summary>
    private static bool MayWrite(in Instruction instr, IReadOnlyDictionary<ulong, IReadOnlyList<string>> slots)
    {
        if (!instr.IsIPRelativeMemoryOperand || !slots.ContainsKey(instr.IPRelativeMemoryAddress))
            return false;
        if (instr.FlowControl is FlowControl.IndirectCall or FlowControl.IndirectBranch)
            return false;
        if (instr.Mnemonic is Mnemonic.Cmp or Mnemonic.Test)
            return false;
        return !(instr.Mnemonic == Mnemonic.Mov && instr.Op0Kind == OpKind.Register);
    }

    /// <summary>A function whose every lookup takes its name from one incoming argument passes that argument to dlsym.</summary>
    private static int? WrapperArgument(IReadOnlyList<long[]?> lookups)
    {
        int? argument = null;
        foreach (var names in lookups)
        {
            if (names is null || names.Length != 1 || !Is(names[0], Kind.DlsymParam, out var n) || (argument is { } a && a != (int)n))
                return null;
            argument = (int)n;
        }
        return argument;
    }

    private static DlsymSlots Classify(ElfCode elf, IEnumerable<(ulong Address, long[]? Values)> stores)
    {
        var names = new Dictionary<ulong, SortedSet<string>>();
        var fallbacks = new Dictionary<ulong, SortedSet<ulong>>();
        var unknown = new HashSet<ulong>();
        foreach (var (slot, values) in stores)
        {
            if (!elf.IsMutableData(slot))
                continue;
            if (values is null)
            {
                unknown.Add(slot);
                continue;
            }
            foreach (var v in values)
            {
                if (Name(elf, v) is { } name)
                    Set(names, slot).Add(name);
                else if (KindOf(v) == Kind.Constant && v == 0)
                    continue; // reset to null: calling it would crash, not reach anything
                else if (KindOf(v) == Kind.Constant && elf.IsFunctionStart((ulong)v))
                    Set(fallbacks, slot).Add((ulong)v);
                else
                    unknown.Add(slot);
            }
        }
        return new DlsymSlots(
            names.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)[.. kv.Value]),
            fallbacks.Where(kv => names.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<ulong>)[.. kv.Value]),
            unknown.Where(names.ContainsKey).ToHashSet());
    }

    private static SortedSet<T> Set<T>(Dictionary<ulong, SortedSet<T>> sets, ulong key)
    {
        if (!sets.TryGetValue(key, out var set))
            sets[key] = set = [];
        return set;
    }

    /// <summary>The symbol a dlsym result was looked up by: a C string that is an identifier, or a format whose conversions become *.</summary>
    private static string? Name(ElfCode elf, long value)
    {
        var format = KindOf(value) == Kind.DlsymFormat;
        if (!format && KindOf(value) != Kind.DlsymName)
            return null;
        if (elf.StringAt(Payload(value), MaxName) is not { Length: > 0 } text)
            return null;
        var name = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (format && c == '%')
            {
                if (i + 1 < text.Length && text[i + 1] == '%')
                    return null; // a literal % cannot be in a symbol
                // Skip flags, width, precision and length to the conversion letter.
                i++;
                while (i < text.Length && !char.IsAsciiLetter(text[i]))
                    i++;
                while (i < text.Length && text[i] is 'h' or 'l' or 'z' or 'j' or 't' or 'L' or 'q')
                    i++;
                if (i >= text.Length)
                    return null;
                if (name.Length == 0 || name[^1] != '*')
                    name.Append('*');
                continue;
            }
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '$') || (name.Length == 0 && char.IsAsciiDigit(c)))
                return null;
            name.Append(c);
        }
        return name.Length > 0 && name[0] != '*' ? name.ToString() : null;
    }

    /// <summary>
    /// The functions holding a direct call or jump to one of <paramref name="targets"/> (E8/E9 rel32) or through one of the
    /// GOT <paramref name="slots"/> (FF 15/FF 25 rip+disp32). A raw byte scan finds candidates cheaply; the flow that
    /// then decodes the function only acts on real calls, so a match inside another instruction costs one wasted walk.
    /// </summary>
    private static HashSet<ulong> Callers(ElfCode elf, IReadOnlySet<ulong> targets, IReadOnlySet<ulong> slots)
    {
        var functions = new HashSet<ulong>();
        var bytes = elf.Bytes;
        foreach (var section in elf.CodeSections.Where(s => !s.IsPlt))
        {
            var last = section.FileOffset + (int)section.Size;
            for (var at = section.FileOffset; at + 5 <= last; at++)
            {
                var address = section.Address + (ulong)(at - section.FileOffset);
                ulong? site = null;
                if (bytes[at] is 0xe8 or 0xe9 && targets.Contains(address + 5 + (ulong)(long)BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 1))))
                    site = address;
                else if (slots.Count > 0 && at + 6 <= last && bytes[at] == 0xff && bytes[at + 1] is 0x15 or 0x25
                    && slots.Contains(address + 6 + (ulong)(long)BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 2))))
                    site = address;
                if (site is { } s && elf.FunctionContaining(s) is { } f)
                    functions.Add(f.Start);
            }
        }
        return functions;
    }
}
