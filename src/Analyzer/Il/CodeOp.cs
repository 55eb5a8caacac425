namespace Portcullis.Analyzer.Il;

/// <summary>One instruction of a method body as reachability sees it, at its IL offset.</summary>
/// <param name="Flagged">It runs only when the method's <see cref="LastFlag"/> is true.</param>
/// <param name="Flag">For a call, what it passes as the callee's flag.</param>
internal readonly record struct CodeOp(OpKind Kind, CodeRef Target, int Offset, string? Text, bool Flagged = false, FlagArgument Flag = FlagArgument.Unknown);
