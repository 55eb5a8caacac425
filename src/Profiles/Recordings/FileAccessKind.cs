namespace Portcullis.Profiles.Recordings;

[Flags]
public enum FileAccessKind
{
    None = 0,
    Read = 1,
    Write = 2,
    Create = 4,
    Execute = 8,
    MmapExec = 16,
    Stat = 32,
    Delete = 64,
}
