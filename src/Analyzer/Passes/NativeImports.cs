using ELFSharp.ELF;
using ELFSharp.ELF.Sections;

namespace Portcullis.Analyzer.Passes;

/// <summary>The functions a native library imports (undefined symbols of its dynamic symbol table), read with ELFSharp.</summary>
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

    private static bool IsUndefined(ISymbolEntry entry) => entry switch
    {
        SymbolEntry<ulong> e => e.PointedSectionIndex == 0,
        SymbolEntry<uint> e => e.PointedSectionIndex == 0,
        _ => false,
    };
}
