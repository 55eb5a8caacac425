namespace Portcullis.Profiles.Generation;

/// <summary>A syscall named by a source other than a recording (analysis, an override), with what names it.</summary>
public sealed record SyscallEvidence(string Name, SourceKind Kind, string Detail);
