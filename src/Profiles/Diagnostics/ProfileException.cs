namespace Portcullis.Profiles.Diagnostics;

/// <summary>The one exception type the library throws for bad input. Callers turn it into its one-line diagnostic.</summary>
public sealed class ProfileException : Exception
{
    public ProfileException(Diagnostic diagnostic)
        : base(diagnostic.ToString()) => Diagnostic = diagnostic;

    public ProfileException(Diagnostic diagnostic, Exception inner)
        : base(diagnostic.ToString(), inner) => Diagnostic = diagnostic;

    public ProfileException()
        : this(Diagnostics.Diagnostic.Error(DiagnosticId.UsageError, "invalid input"))
    {
    }

    public ProfileException(string message)
        : this(Diagnostics.Diagnostic.Error(DiagnosticId.UsageError, message))
    {
    }

    public ProfileException(string message, Exception inner)
        : this(Diagnostics.Diagnostic.Error(DiagnosticId.UsageError, message), inner)
    {
    }

    public Diagnostic Diagnostic { get; }

    public static ProfileException At(DiagnosticId id, string message, Origin origin, string? field = null) =>
        new(Diagnostics.Diagnostic.Error(id, message, origin, field));
}
