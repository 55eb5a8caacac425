namespace Portcullis.Analyzer.Il;

/// <summary>
/// What reachability and evidence need of a method: its declaring type (a token of the same module), its name,
/// the P/Invoke it is (module as written and entry point) if it is one, and its body reduced to <see cref="CodeOp"/>s.
/// </summary>
internal sealed record CompiledMethod(int DeclaringType, string Name, bool IsPInvoke, string PInvokeModule, string PInvokeEntry, CodeOp[] Ops);
