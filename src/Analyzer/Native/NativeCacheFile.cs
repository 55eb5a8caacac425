namespace Portcullis.Analyzer.Native;

/// <summary>The on-disk form of a cached <see cref="LibrarySummary"/>: the version says whether this build may trust it.</summary>
internal sealed record NativeCacheFile(int Version, LibrarySummary Summary);
