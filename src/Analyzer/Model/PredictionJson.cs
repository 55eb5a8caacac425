using System.Text.Json;

namespace Portcullis.Analyzer.Model;

/// <summary>prediction.json (format version 2: evidence carries the framework path and the native side).</summary>
public static class PredictionJson
{
    public const int FormatVersion = 3;

    public static byte[] Write(Prediction prediction) =>
        JsonSerializer.SerializeToUtf8Bytes(new PredictionEnvelope(FormatVersion, prediction), AnalyzerJsonContext.Default.PredictionEnvelope);

    /// <summary>Reads prediction.json; a file of another version or shape is refused with the reason.</summary>
    public static Prediction Read(string path)
    {
        PredictionEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(File.ReadAllBytes(path), AnalyzerJsonContext.Default.PredictionEnvelope);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a prediction.json ({e.Message.Split('.')[0]})", e);
        }
        if (envelope?.Prediction is null || envelope.Version != FormatVersion)
            throw new InvalidDataException($"{path}: prediction format version {envelope?.Version} is not supported (expected {FormatVersion})");
        return envelope.Prediction;
    }
}
