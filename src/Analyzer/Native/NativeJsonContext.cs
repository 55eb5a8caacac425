using System.Text.Json.Serialization;

namespace Portcullis.Analyzer.Native;

/// <summary>Source-generated JSON for the native summary and export-answer caches, so that a trimmed portcullis reads and writes it.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NativeCacheFile))]
[JsonSerializable(typeof(LibrarySummary))]
[JsonSerializable(typeof(ExportResultsFile))]
internal sealed partial class NativeJsonContext : JsonSerializerContext;
