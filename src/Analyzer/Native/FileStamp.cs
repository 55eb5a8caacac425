namespace Portcullis.Analyzer.Native;

/// <summary>A file an answer was computed from, as the file system describes it: a changed file (a system update) voids the answer.</summary>
internal sealed record FileStamp(string Path, long Length, long WrittenTicks)
{
    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.FullName, info.Length, info.LastWriteTimeUtc.Ticks) : new FileStamp(info.FullName, -1, 0);
    }

    public bool IsCurrent => Of(Path) == this;
}
