using Portcullis.Profiles.Recordings;

namespace Portcullis.Profiles.Generation;

/// <summary>A recording and what it recorded (a test project's name), for the report's "why".</summary>
public sealed record LabeledRecording(string Source, Recording Recording);
