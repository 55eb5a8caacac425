namespace Portcullis.Analyzer.Model;

/// <summary>prediction.json's top level: the format version and the prediction.</summary>
internal sealed record PredictionEnvelope(int Version, Prediction Prediction);
