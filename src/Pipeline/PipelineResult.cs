using Portcullis.Profiles.Generation;

namespace Portcullis.Pipeline;

/// <summary>A generation's outputs, rendered: the files a caller writes, and the one-line summary it prints.</summary>
public sealed record PipelineResult(GeneratedSeccomp Seccomp, string SeccompJson, string AppArmorProfile, string Report, string Summary);
