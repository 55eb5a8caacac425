namespace Portcullis.Profiles.Recordings;

/// <summary>A file path the target touched (absolute, resolved against dirfd and the working directory), with how.</summary>
public sealed record FileObservation(string Path, FileAccessKind Access, IReadOnlySet<Backend> SeenBy);
