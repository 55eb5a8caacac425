namespace Portcullis.Analyzer.Cases;

/// <summary>Only dead code of the case (or a type it never instantiates) makes these syscalls: the analyzer must not predict them.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ForbidAttribute(params string[] syscalls) : Attribute
{
    public IReadOnlyList<string> Syscalls { get; } = syscalls;
}
