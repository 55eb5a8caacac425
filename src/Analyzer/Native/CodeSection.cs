namespace Portcullis.Analyzer.Native;

/// <summary>An executable section of an ELF file: where it is loaded and where its bytes are in the file.</summary>
internal sealed record CodeSection(string Name, ulong Address, ulong Size, int FileOffset)
{
    public ulong End => Address + Size;

    public bool Contains(ulong address) => address >= Address && address < End;

    /// <summary>The PLT sections hold stubs that jump through the GOT, so a branch into them is a call to an import.</summary>
    public bool IsPlt => Name.StartsWith(".plt", StringComparison.Ordinal);
}
