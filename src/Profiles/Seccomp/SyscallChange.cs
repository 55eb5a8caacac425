namespace Portcullis.Profiles.Seccomp;

public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One syscall whose treatment differs between two profiles on one architecture.</summary>
public sealed record SyscallChange(string Name, ChangeKind Kind, string Before, string After);
