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

    /// <summary>The new name of a hard link (AppArmor's l).</summary>
    Link = 128,

    /// <summary>The existing file a hard link was made to: AppArmor lets a link have only permissions its target has.</summary>
    LinkSource = 512,

    /// <summary>A lock taken on the file: flock, or fcntl F_SETLK/F_SETLKW/F_OFD_SETLK* (AppArmor's k).</summary>
    Lock = 256,
}
