using System.Text.Json.Serialization;

namespace Portcullis.Analyzer.Native;

/// <summary>Source-generated JSON for the native summary cache, so that a trimmed portcullis reads and writes it.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NativeCacheFile))]
[JsonSerializable(typeof(LibrarySummary))]
internal sealed partial class NativeJsonContext : JsonSerializerContext;
