namespace Portcullis.Analyzer.Model;

/// <summary>
/// Why a syscall is predicted: the app method whose call leads to it (<see cref="Site"/>, with its IL offset and
/// source line when the PDB has one), the API it calls, the framework methods from there to the P/Invoke
/// (<see cref="Path"/>, the middle elided when long), and the native side: library!export, the functions it
/// reaches and the libc function or raw syscall (<see cref="Native"/>). <see cref="Group"/> says which kind of
/// path it is: framework (through the framework's IL), pinvoke (the app's own P/Invoke), native (a library the
/// app ships, reached by its loader rather than a P/Invoke).
/// </summary>
public sealed record Evidence(string Site, string Api, string Group, int? IlOffset, string? Source)
{
    public IReadOnlyList<string> Path { get; init; } = [];
    public string? Native { get; init; }

    public override string ToString()
    {
        var parts = new List<string> { Source is null ? Site : $"{Site} ({Source})" };
        if (Path.Count == 0 || Path[0] != Api)
            parts.Add(Api);
        parts.AddRange(Path);
        if (Native is not null)
            parts.Add(Native);
        return string.Join(" → ", parts);
    }
}
