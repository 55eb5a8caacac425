using System.Runtime.InteropServices;

namespace Portcullis.Cli.Commands;

/// <summary>Turns Ctrl+C and SIGTERM into a cancellation, so a recording forwards them to the command and still writes what it saw.</summary>
internal sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration _int;
    private readonly PosixSignalRegistration _term;

    public Interrupts()
    {
        _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        _int.Dispose();
        _term.Dispose();
        _cancel.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        _cancel.Cancel();
    }
}
