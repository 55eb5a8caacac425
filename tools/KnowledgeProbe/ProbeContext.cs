namespace Portcullis.KnowledgeProbe;

/// <summary>A scratch directory the probe may use, and a loopback TCP port where the harness serves (0: none).</summary>
internal sealed record ProbeContext(string Directory, int Port);
