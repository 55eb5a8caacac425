using ELFSharp.ELF;
using ELFSharp.ELF.Sections;

namespace Portcullis.Analyzer.Native;

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

    /// <summary>The functions a library defines in .dynsym (FUNC and GNU IFUNC: libc's memcpy and strlen are IFUNCs); none for a file it cannot read.</summary>
    public static IReadOnlySet<string> Exports(string path)
    {
        const int GnuIfunc = 10;
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var elf = ELFReader.Load(path);
            foreach (var table in elf.Sections.OfType<SymbolTable<ulong>>().Where(t => t.Name == ".dynsym"))
            {
                foreach (var e in table.Entries)
                {
                    if (e.PointedSectionIndex != 0 && e.Binding != SymbolBinding.Local && e.Type is SymbolType.Function or (SymbolType)GnuIfunc && e.Name.Length > 0)
                        names.Add(e.Name.Split('@')[0]);
                }
            }
        }
        catch (Exception e) when (e is NotSupportedException or InvalidDataException or IOException or ArgumentException or InvalidOperationException)
        {
            // Not an ELF file ELFSharp reads: it defines nothing we know of.
        }
        return names;
    }

    /// <summary>
    /// A library by file name in <paramref name="directories"/> (a path is taken as it is); a name without a version
    /// ("libicuuc.so", or "libssl.so." as the OpenSSL shim probes it) takes the newest versioned file of that name.
    /// </summary>
    public static string? Find(string name, IReadOnlyList<string> directories)
    {
        if (name.Contains('/', StringComparison.Ordinal))
            return File.Exists(name) ? name : null;
        foreach (var dir in directories)
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
                return path;
        }
        if (!name.EndsWith(".so", StringComparison.Ordinal) && !name.EndsWith(".so.", StringComparison.Ordinal))
            return null;
        var prefix = name.EndsWith('.') ? name : name + ".";
        foreach (var dir in directories.Where(Directory.Exists))
        {
            var versioned = Directory.EnumerateFiles(dir, prefix + "*").Order(StringComparer.Ordinal).LastOrDefault();
            if (versioned is not null)
                return versioned;
        }
        return null;
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
