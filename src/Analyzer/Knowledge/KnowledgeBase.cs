using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portcullis.Analyzer.Knowledge;

/// <summary>
/// What each API group needs from the kernel, measured by tools/KnowledgeGen (each probe of
/// tools/KnowledgeProbe recorded: an empty .NET app plus that API) on one runtime version and architecture,
/// which the file records. Regenerate with the command in the README; a test fails when it is stale.
/// </summary>
public sealed record KnowledgeBase
{
    public const int FormatVersion = 1;

    [JsonPropertyName("version")]
    public int Version { get; init; } = FormatVersion;

    /// <summary>The .NET runtime the probes ran on (Environment.Version).</summary>
    [JsonPropertyName("runtime")]
    public required string Runtime { get; init; }

    [JsonPropertyName("architecture")]
    public required string Architecture { get; init; }

    [JsonPropertyName("kernel")]
    public required string Kernel { get; init; }

    [JsonPropertyName("measuredWith")]
    public required string MeasuredWith { get; init; }

    /// <summary>The empty probe's syscalls: what every app of this runtime makes.</summary>
    [JsonPropertyName("runtimeBase")]
    public required IReadOnlyList<string> RuntimeBase { get; init; }

    /// <summary>Per group, the syscalls its probe made (the empty probe's included).</summary>
    [JsonPropertyName("groups")]
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Groups { get; init; }

    public static KnowledgeBase Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, Model.AnalyzerJsonContext.Default.KnowledgeBase) ?? throw new InvalidDataException("empty knowledge base");

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Model.AnalyzerJsonContext.Default.KnowledgeBase);

    public static string ResourceName(string architecture) => $"Portcullis.Analyzer.Knowledge.knowledge-{architecture}.json";

    /// <summary>The knowledge base shipped for <paramref name="architecture"/> (x86_64), or null when none is.</summary>
    public static KnowledgeBase? Shipped(string architecture = "x86_64")
    {
        using var stream = typeof(KnowledgeBase).Assembly.GetManifestResourceStream(ResourceName(architecture));
        if (stream is null)
            return null;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray());
    }
}
