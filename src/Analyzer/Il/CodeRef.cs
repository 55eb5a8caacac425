namespace Portcullis.Analyzer.Il;

/// <summary>A method or type definition: its module (an index into <see cref="CodeModules"/>) and its metadata token.</summary>
internal readonly record struct CodeRef(int Module, int Token)
{
    public static readonly CodeRef None = new(-1, 0);

    public bool IsNone => Module < 0;
}
