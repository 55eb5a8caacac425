namespace Portcullis.Runtime.Controller;

/// <summary>What one reconcile pass did, for logs, tests and the benchmark.</summary>
public sealed record ControllerPass(int ProfilesCreated, int GatesRemoved, int StillGated, int ProfilesDeleted, int StatusesWritten);
