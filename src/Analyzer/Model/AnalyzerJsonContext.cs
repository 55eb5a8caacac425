using System.Text.Json.Serialization;
using Portcullis.Analyzer.Knowledge;

namespace Portcullis.Analyzer.Model;

/// <summary>Source-generated JSON for prediction.json and the knowledge base, so that a trimmed portcullis reads and writes them.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PredictionEnvelope))]
[JsonSerializable(typeof(KnowledgeBase))]
internal sealed partial class AnalyzerJsonContext : JsonSerializerContext;
