using System.Text.Json.Serialization;

namespace Portcullis.Recorder.Launching;

[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(LaunchRequest))]
internal sealed partial class LaunchRequestJson : JsonSerializerContext;
