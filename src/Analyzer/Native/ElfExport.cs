namespace Portcullis.Analyzer.Native;

/// <summary>A function the library exports: a defined FUNC symbol of .dynsym.</summary>
internal sealed record ElfExport(string Name, ulong Address, ulong Size);
