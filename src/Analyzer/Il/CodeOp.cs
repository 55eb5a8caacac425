namespace Portcullis.Analyzer.Il;

/// <summary>One instruction of a method body as reachability sees it, at its IL offset.</summary>
internal readonly record struct CodeOp(OpKind Kind, CodeRef Target, int Offset, string? Text);
