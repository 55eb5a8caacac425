using ELFSharp.ELF;
using ELFSharp.ELF.Sections;

namespace Portcullis.Analyzer.Passes;

/// <summary>
/// The functions a native library imports (undefined symbols of its dynamic symbol table) and the libraries it
/// needs (DT_NEEDED), read with ELFSharp: for a library whose code analysis does not walk (one an app ships and
/// loads itself, the libssl the OpenSSL shim opens), its imports are what it can reach.
/// </summary>
internal static class NativeImports
{
    public static IReadOnlyList<string> Of(string path)
    {
        if (!ELFReader.TryLoad(path, out var elf))
            return [];
        using (elf)
        {
            var dynsym = elf.Sections.OfType<ISymbolTable>().FirstOrDefault(s => s.Name == ".dynsym");
            if (dynsym is null)
                return [];
            return dynsym.Entries
                .Where(e => e.PointedSection is null && e.Type is SymbolType.Function or SymbolType.NotSpecified && e.Name.Length > 0 && IsUndefined(e))
                .Select(e => e.Name.Split('@')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The functions a library defines (libc's: which unknown import is a libc function the table lacks, not another library's).</summary>
    public static IReadOnlySet<string> Exports(string path)
    {
        if (!ELFReader.TryLoad(path, out var elf))
            return new HashSet<string>();
        using (elf)
        {
            var dynsym = elf.Sections.OfType<ISymbolTable>().FirstOrDefault(s => s.Name == ".dynsym");
            return dynsym is null ? new HashSet<string>() : dynsym.Entries
                .Where(e => e.Type is SymbolType.Function && e.Name.Length > 0 && !IsUndefined(e))
                .Select(e => e.Name.Split('@')[0]).ToHashSet(StringComparer.Ordinal);
        }
    }

    private static bool IsUndefined(ISymbolEntry entry) => entry switch
    {
        SymbolEntry<ulong> e => e.PointedSectionIndex == 0,
        SymbolEntry<uint> e => e.PointedSectionIndex == 0,
        _ => false,
    };

    public static IReadOnlyList<string> Needed(string path)
    {
        if (!ELFReader.TryLoad(path, out var elf))
            return [];
        using (elf)
        {
            var dynamic = elf.Sections.OfType<IDynamicSection>().FirstOrDefault();
            var strings = elf.Sections.OfType<IStringTable>().FirstOrDefault(s => s.Name == ".dynstr");
            if (dynamic is null || strings is null)
                return [];
            return dynamic.Entries.Where(e => e.Tag == DynamicTag.Needed).Select(e => strings[Convert.ToInt64(e switch
            {
                DynamicEntry<ulong> d => (long)d.Value,
                DynamicEntry<uint> d => d.Value,
                _ => 0L,
            })]).ToList();
        }
    }
}
