using Mono.Cecil;

namespace Portcullis.Analyzer.Passes;

/// <summary>A reachable app method's call (or reference) into code analysis does not walk, at an IL offset.</summary>
internal sealed record FrameworkCall(MethodDefinition Site, int Offset, string DeclaringType, string Member);
