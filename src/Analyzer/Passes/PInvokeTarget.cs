namespace Portcullis.Analyzer.Passes;

/// <summary>Where a P/Invoke goes on Linux: libc, the runtime itself (QCalls), a Windows-only library, a library file found, or none found.</summary>
internal sealed record PInvokeTarget(PInvokeTargetKind Kind, string Module, string Entry, string? LibraryPath);

internal enum PInvokeTargetKind
{
    Libc,
    Runtime,
    WindowsOnly,
    Library,
    NotFound,
}
