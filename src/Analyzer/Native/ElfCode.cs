using System.Buffers.Binary;
using ELFSharp.ELF;
using ELFSharp.ELF.Sections;
using Iced.Intel;

namespace Portcullis.Analyzer.Native;

/// <summary>
/// The parts of an x86-64 ELF shared library that a static walk of its code needs: code bytes, exports,
/// import stubs and GOT slots, and where functions begin. ELFSharp reads the headers and symbol tables;
/// relocations, .dynamic and .eh_frame_hdr are read from the file bytes, which ELFSharp does not decode.
/// </summary>
internal sealed class ElfCode
{
    private const uint RelocGlobDat = 6;
    private const uint RelocJumpSlot = 7;
    private const uint Reloc64 = 1;
    private const uint RelocRelative = 8;
    private const long DtNeeded = 1;

    private readonly List<SectionInfo> sections = [];
    private readonly Dictionary<ulong, string> names = [];
    private readonly Dictionary<ulong, ulong> sizes = [];
    private readonly ulong[] starts;

    private ElfCode(string path, byte[] bytes)
    {
        Path = path;
        Bytes = bytes;
        if (!ELFReader.TryLoad(new MemoryStream(bytes, writable: false), shouldOwnStream: true, out var any))
            throw new NotSupportedException($"{path} is not an ELF file");
        using var disposeElf = any;
        if (any is not ELF<ulong> elf || elf.Machine != Machine.AMD64 || elf.Endianess != ELFSharp.Endianess.LittleEndian)
            throw new NotSupportedException($"{path} is not an x86-64 ELF file");

        foreach (var s in elf.Sections)
            sections.Add(new SectionInfo(s.Name, s.Type, s.Flags, s.LoadAddress, s.Offset, s.Size));
        CodeSections = sections.Where(s => (s.Flags & SectionFlags.Executable) != 0 && s.Type == SectionType.ProgBits)
            .Select(s => new CodeSection(s.Name, s.Address, s.Size, checked((int)s.Offset))).ToList();
        // The decoder reads code straight from the file array, so a section past the end must be refused here.
        if (CodeSections.Any(c => (ulong)c.FileOffset + c.Size > (ulong)bytes.Length))
            throw new InvalidDataException($"{path}: a code section lies past the end of the file");

        var dynsym = ReadSymbols(elf, ".dynsym");
        var exports = new List<ElfExport>();
        var local = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var startSet = new HashSet<ulong>();
        foreach (var sym in dynsym)
        {
            if (!sym.IsDefinedFunction || !sym.IsGlobalDefinition || !IsCode(sym.Value))
                continue;
            exports.Add(new ElfExport(sym.Name, sym.Value, sym.Size));
            local.TryAdd(sym.Name, sym.Value);
            Remember(sym, startSet);
        }
        // .symtab, when not stripped, names the static functions; it never adds exports.
        foreach (var sym in ReadSymbols(elf, ".symtab").Where(s => s.IsDefinedFunction && IsCode(s.Value)))
            Remember(sym, startSet);
        Exports = exports.OrderBy(e => e.Address).ThenBy(e => e.Name, StringComparer.Ordinal).ToList();
        LocalFunctions = local;

        foreach (var start in EhFrameStarts())
            if (IsCode(start))
                startSet.Add(start);
        starts = [.. startSet.Order()];

        var (slots, localSlots) = ReadSlots(dynsym);
        GotSlots = slots;
        LocalSlots = localSlots;
        PltStubs = ReadPltStubs(slots);
        Needed = ReadNeeded();
        LibraryNameStrings = ReadLibraryNames();
    }

    public string Path { get; }

    /// <summary>The whole file, which the code sections index by file offset.</summary>
    public byte[] Bytes { get; }

    public IReadOnlyList<CodeSection> CodeSections { get; }

    public IReadOnlyList<ElfExport> Exports { get; }

    /// <summary>Functions this library defines in .dynsym, by name: its own exports reached through its own PLT (no -Bsymbolic) land here.</summary>
    public IReadOnlyDictionary<string, ulong> LocalFunctions { get; }

    /// <summary>PLT stub address (and the address of its jmp) to the name of the function the stub jumps to.</summary>
    public IReadOnlyDictionary<ulong, string> PltStubs { get; }

    /// <summary>
    /// GOT slot address to the imported function whose address the dynamic linker writes there (JUMP_SLOT, GLOB_DAT),
    /// and likewise for pointers in data initialised to an import (R_X86_64_64: sqlite's table of libc calls).
    /// </summary>
    public IReadOnlyDictionary<ulong, string> GotSlots { get; }

    /// <summary>Pointers in data that the loader sets to a function of this library (R_X86_64_RELATIVE to a function start).</summary>
    public IReadOnlyDictionary<ulong, ulong> LocalSlots { get; }

    public IReadOnlyList<string> Needed { get; }

    /// <summary>Imports whose address is stored in data (R_X86_64_64): called through a table, as sqlite's aSyscall is.</summary>
    public IReadOnlyList<string> ImportsInData => importsInData;

    private IReadOnlyList<string> importsInData = [];

    /// <summary>Strings in read-only data shaped like a shared-library file name: candidates for dlopen.</summary>
    public IReadOnlyList<string> LibraryNameStrings { get; }

    /// <summary>Sorted addresses where functions begin: symbols and the FDEs of .eh_frame_hdr, which stripped static functions still have.</summary>
    public IReadOnlyList<ulong> FunctionStarts => starts;

    /// <summary>
    /// Global pointers the library fills with dlsym, by slot address, each with the names looked up for it (all of them:
    /// "FOO" then "FOO_3" are both kept). A name a version suffix is printed onto at run time ends in *.
    /// </summary>
    public IReadOnlyDictionary<ulong, IReadOnlyList<string>> DlsymSlots => Dlsym.Names;

    /// <summary>The dlsym slots with their local fallbacks and whether something else may be stored in them; found on first use.</summary>
    internal DlsymSlots Dlsym => dlsym ??= Native.DlsymSlots.Find(this);

    private DlsymSlots? dlsym;

    /// <exception cref="NotSupportedException">Not an x86-64 ELF file.</exception>
    /// <exception cref="InvalidDataException">Headers that point outside the file.</exception>
    public static ElfCode Load(string path)
    {
        try
        {
            return new ElfCode(path, File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{path} is a malformed ELF file: {e.Message}", e);
        }
    }

    /// <summary>
    /// Whether the program may store another pointer at <paramref name="address"/>: writable data other than what the
    /// loader fills in and then write-protects (RELRO: the GOT, .data.rel.ro, init and fini arrays).
    /// </summary>
    public bool IsMutableData(ulong address) => sections.Any(s =>
        address >= s.Address && address < s.Address + s.Size && s.Flags.HasFlag(SectionFlags.Writable) && s.Flags.HasFlag(SectionFlags.Allocatable)
        && s.Name is not (".got" or ".got.plt" or ".init_array" or ".fini_array") && !s.Name.StartsWith(".data.rel.ro", StringComparison.Ordinal));

    public bool IsFunctionStart(ulong address) => Array.BinarySearch(starts, address) >= 0;

    public CodeSection? SectionAt(ulong address)
    {
        foreach (var s in CodeSections)
            if (s.Contains(address))
                return s;
        return null;
    }

    /// <summary>Where code entered at <paramref name="entry"/> stops: the next function start, the symbol's size, or the section end.</summary>
    public ulong EndOf(ulong entry)
    {
        var section = SectionAt(entry);
        if (section is null)
            return entry;
        var end = section.End;
        var i = Array.BinarySearch(starts, entry + 1);
        if (i < 0)
            i = ~i;
        if (i < starts.Length && starts[i] < end)
            end = starts[i];
        if (sizes.TryGetValue(entry, out var size) && size > 0 && entry + size < end)
            end = entry + size;
        return end;
    }

    /// <summary>The function whose range holds <paramref name="address"/>, or null outside any known function.</summary>
    public (ulong Start, ulong End)? FunctionContaining(ulong address)
    {
        var i = Array.BinarySearch(starts, address);
        if (i < 0)
            i = ~i - 1;
        if (i < 0)
            return null;
        var start = starts[i];
        var end = EndOf(start);
        return address < end ? (start, end) : null;
    }

    /// <summary>A readable name for a code address: its symbol, an offset into a named function, or sub_hex.</summary>
    public string NameOf(ulong address)
    {
        if (names.TryGetValue(address, out var name))
            return name;
        if (FunctionContaining(address) is { } f && f.Start != address && names.TryGetValue(f.Start, out var outer))
            return $"{outer}+0x{address - f.Start:x}";
        return $"sub_{address:x}";
    }

    /// <summary>Decodes [<paramref name="entry"/>, <paramref name="end"/>) by linear sweep; empty outside the code sections.</summary>
    public List<Instruction> Decode(ulong entry, ulong end)
    {
        var code = new List<Instruction>();
        if (SectionAt(entry) is not { } section || end <= entry)
            return code;
        end = Math.Min(end, section.End);
        var offset = checked(section.FileOffset + (int)(entry - section.Address));
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(Bytes, offset, checked((int)(end - entry))), entry);
        while (decoder.IP < end)
        {
            decoder.Decode(out var instr);
            code.Add(instr);
        }
        return code;
    }

    /// <summary>The little-endian int32 at a virtual address in the file's loaded data, or null.</summary>
    public int? Int32At(ulong address) => LoadedData(address) is { Length: >= 4 } data ? BinaryPrimitives.ReadInt32LittleEndian(data) : null;

    /// <summary>The NUL-terminated string at a virtual address in the file's loaded data, or null (no such data, no NUL within <paramref name="max"/> bytes).</summary>
    public string? StringAt(ulong address, int max)
    {
        var data = LoadedData(address);
        var length = data[..Math.Min(max, data.Length)].IndexOf((byte)0);
        return length < 0 ? null : System.Text.Encoding.UTF8.GetString(data[..length]);
    }

    /// <summary>The file bytes from a virtual address to the end of the loaded section holding it; empty outside any.</summary>
    private ReadOnlySpan<byte> LoadedData(ulong address)
    {
        foreach (var s in sections)
        {
            if (s.Type == SectionType.NoBits || !s.Flags.HasFlag(SectionFlags.Allocatable) || address < s.Address || address >= s.Address + s.Size
                || s.Offset + s.Size > (ulong)Bytes.Length)
                continue;
            return Contents(s)[checked((int)(address - s.Address))..];
        }
        return [];
    }

    private bool IsCode(ulong address) => SectionAt(address) is not null;

    private void Remember(Symbol sym, HashSet<ulong> startSet)
    {
        startSet.Add(sym.Value);
        names.TryAdd(sym.Value, sym.Name);
        if (sym.Size > 0)
            sizes.TryAdd(sym.Value, sym.Size);
    }

    private static List<Symbol> ReadSymbols(ELF<ulong> elf, string name)
    {
        var table = elf.Sections.OfType<SymbolTable<ulong>>().FirstOrDefault(s => s.Name == name);
        if (table is null)
            return [];
        return table.Entries.Select(e => new Symbol(
            StripVersion(e.Name), e.Value, e.Size, e.Type,
            e.PointedSectionIndex != 0 && e.Binding != SymbolBinding.Local,
            e.PointedSectionIndex != 0)).ToList();
    }

    private static string StripVersion(string name)
    {
        var at = name.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? name : name[..at];
    }

    private SectionInfo? Section(string name) => sections.FirstOrDefault(s => s.Name == name);

    private ReadOnlySpan<byte> Contents(SectionInfo s) =>
        s.Type == SectionType.NoBits ? [] : Bytes.AsSpan(checked((int)s.Offset), checked((int)s.Size));

    /// <summary>Relocations name GOT slots by the .dynsym index of the symbol; only functions are kept (data imports are not calls).</summary>
    private (Dictionary<ulong, string> Imports, Dictionary<ulong, ulong> Locals) ReadSlots(List<Symbol> dynsym)
    {
        var imports = new Dictionary<ulong, string>();
        var locals = new Dictionary<ulong, ulong>();
        var inData = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rela in sections.Where(s => s.Type == SectionType.RelocationAddends && s.Flags.HasFlag(SectionFlags.Allocatable)))
        {
            var data = Contents(rela);
            for (var at = 0; at + 24 <= data.Length; at += 24)
            {
                var offset = BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
                var info = BinaryPrimitives.ReadUInt64LittleEndian(data[(at + 8)..]);
                var addend = BinaryPrimitives.ReadUInt64LittleEndian(data[(at + 16)..]);
                var type = (uint)info;
                var index = (int)(info >> 32);
                if (type == RelocRelative && IsFunctionStart(addend))
                    locals.TryAdd(offset, addend);
                if (type is not (RelocGlobDat or RelocJumpSlot or Reloc64) || index <= 0 || index >= dynsym.Count)
                    continue;
                var sym = dynsym[index];
                if (sym.Type is SymbolType.Function or SymbolType.NotSpecified && sym.Name.Length > 0)
                {
                    imports.TryAdd(offset, sym.Name);
                    if (type == Reloc64)
                        inData.Add(sym.Name);
                }
            }
        }
        importsInData = [.. inData];
        return (imports, locals);
    }

    /// <summary>
    /// Each stub in .plt, .plt.sec or .plt.got is a few instructions around one jmp [rip+slot]; the stub begins at the first
    /// non-padding instruction after the previous jump. PLT0 jumps through a slot with no relocation and so gets no name.
    /// </summary>
    private Dictionary<ulong, string> ReadPltStubs(Dictionary<ulong, string> slots)
    {
        var stubs = new Dictionary<ulong, string>();
        foreach (var s in CodeSections.Where(c => c.IsPlt))
        {
            var decoder = Decoder.Create(64, new ByteArrayCodeReader(Bytes, s.FileOffset, checked((int)s.Size)), s.Address);
            ulong? stubStart = null;
            while (decoder.IP < s.End)
            {
                decoder.Decode(out var instr);
                var padding = instr.Mnemonic is Mnemonic.Nop or Mnemonic.Int3 || instr.IsInvalid;
                if (stubStart is null && !padding)
                    stubStart = instr.IP;
                if (instr.Mnemonic != Mnemonic.Jmp)
                    continue;
                if (instr.Op0Kind == OpKind.Memory && instr.IsIPRelativeMemoryOperand && slots.TryGetValue(instr.IPRelativeMemoryAddress, out var name))
                {
                    stubs.TryAdd(instr.IP, name);
                    if (stubStart is { } start)
                        stubs.TryAdd(start, name);
                }
                stubStart = null;
            }
        }
        return stubs;
    }

    private List<string> ReadNeeded()
    {
        var dynamic = sections.FirstOrDefault(s => s.Type == SectionType.Dynamic);
        // ELFSharp does not expose sh_link; .dynamic's string table is .dynstr in every linker's output.
        if (dynamic is null || Section(".dynstr") is not { } dynstr)
            return [];
        var strtab = Contents(dynstr);
        var data = Contents(dynamic);
        var needed = new List<string>();
        for (var at = 0; at + 16 <= data.Length; at += 16)
        {
            var tag = BinaryPrimitives.ReadInt64LittleEndian(data[at..]);
            if (tag == 0)
                break;
            if (tag == DtNeeded)
                needed.Add(CString(strtab, checked((int)BinaryPrimitives.ReadUInt64LittleEndian(data[(at + 8)..]))));
        }
        return needed;
    }

    private static string CString(ReadOnlySpan<byte> data, int at)
    {
        if (at < 0 || at >= data.Length)
            return "";
        var end = data[at..].IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? data[at..] : data.Slice(at, end));
    }

    /// <summary>The initial_location column of .eh_frame_hdr's binary search table: one entry per FDE, so per function with unwind info.</summary>
    private List<ulong> EhFrameStarts()
    {
        var result = new List<ulong>();
        if (Section(".eh_frame_hdr") is not { } hdr || hdr.Size < 4)
            return result;
        var data = Contents(hdr);
        if (data[0] != 1)
            return result;
        byte ptrEnc = data[1], countEnc = data[2], tableEnc = data[3];
        var reader = new EhPointerReader(data, hdr.Address);
        var at = 4;
        if (!reader.TryRead(ref at, ptrEnc, out _) || !reader.TryRead(ref at, countEnc, out var count))
            return result;
        if (tableEnc == EhPointerReader.Omit || count > (ulong)data.Length)
            return result;
        for (ulong i = 0; i < count; i++)
        {
            if (!reader.TryRead(ref at, tableEnc, out var location) || !reader.TryRead(ref at, tableEnc, out _))
                break;
            result.Add(location);
        }
        return result;
    }

    private List<string> ReadLibraryNames()
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var s in sections.Where(s => s.Name.StartsWith(".rodata", StringComparison.Ordinal) && s.Type == SectionType.ProgBits))
        {
            var data = Contents(s);
            var begin = 0;
            for (var i = 0; i < data.Length; i++)
            {
                if (data[i] != 0)
                    continue;
                if (i > begin && LibraryName.Looks(data[begin..i]))
                    found.Add(System.Text.Encoding.ASCII.GetString(data[begin..i]));
                begin = i + 1;
            }
        }
        return [.. found];
    }

    private sealed record SectionInfo(string Name, SectionType Type, SectionFlags Flags, ulong Address, ulong Offset, ulong Size);

    private sealed record Symbol(string Name, ulong Value, ulong Size, SymbolType Type, bool IsGlobalDefinition, bool IsDefined)
    {
        public bool IsDefinedFunction => IsDefined && Type == SymbolType.Function && Value != 0 && Name.Length > 0;
    }
}
