namespace Portcullis.Profiles.Generation;

/// <summary>One reason a syscall is allowed: its kind and a detail a reviewer can follow (a test project, a call site).</summary>
public sealed record SyscallReason(SourceKind Kind, string Detail);
