using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portcullis.Analyzer.Model;

/// <summary>prediction.json (format version 1).</summary>
public static class PredictionJson
{
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Write(Prediction prediction) =>
        JsonSerializer.SerializeToUtf8Bytes(new Envelope(FormatVersion, prediction), Options);

    /// <summary>Reads prediction.json; a file of another version or shape is refused with the reason.</summary>
    public static Prediction Read(string path)
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(File.ReadAllBytes(path), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a prediction.json ({e.Message.Split('.')[0]})", e);
        }
        if (envelope?.Prediction is null || envelope.Version != FormatVersion)
            throw new InvalidDataException($"{path}: prediction format version {envelope?.Version} is not supported (expected {FormatVersion})");
        return envelope.Prediction;
    }

    private sealed record Envelope(int Version, Prediction Prediction);
}
