namespace Portcullis.Profiles.Diagnostics;

public enum Severity
{
    Info,
    Warning,
    Error,
}
