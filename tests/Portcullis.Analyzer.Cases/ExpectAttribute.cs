namespace Portcullis.Analyzer.Cases;

/// <summary>The case's Run method can make these syscalls: the analyzer must predict each.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ExpectAttribute(params string[] syscalls) : Attribute
{
    public IReadOnlyList<string> Syscalls { get; } = syscalls;
}
