namespace Portcullis.Analyzer.Model;

/// <summary>A syscall the app can make, with each place that leads to it (the first few; Count says how many there are).</summary>
public sealed record PredictedSyscall(string Name, IReadOnlyList<Evidence> Evidence, int Count);
