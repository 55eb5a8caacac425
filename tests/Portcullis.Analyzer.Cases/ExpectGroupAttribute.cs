namespace Portcullis.Analyzer.Cases;

/// <summary>The analyzer must find the case using this API group.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ExpectGroupAttribute(string group) : Attribute
{
    public string Group { get; } = group;
}
