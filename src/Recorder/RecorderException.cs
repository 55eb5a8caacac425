namespace Portcullis.Recorder;

/// <summary>The recorder could not do its work (no permission, the kernel refused, the launcher failed). The message says why.</summary>
public sealed class RecorderException : Exception
{
    public RecorderException()
    {
    }

    public RecorderException(string message)
        : base(message)
    {
    }

    public RecorderException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
