namespace Portcullis.Profiles.Generation;

/// <summary>
/// What one OCI runtime version makes after it installs the container's seccomp filter, with a given
/// no_new_privs. <see cref="Proven"/> variants were found by deletion under the real runtime
/// (tools/RuntimeBaseProbe); the others are <see cref="ContainerRuntimeBase.Names"/>, the portable union.
/// <see cref="Flaky"/> names are in <see cref="Names"/> but their removal only sometimes kills the container
/// (runc's Go runtime threads make them, or not, depending on scheduling).
/// </summary>
public sealed record RuntimeBaseVariant(string Runtime, string Version, bool NoNewPrivileges, IReadOnlyList<string> Names, IReadOnlyList<string> Flaky, bool Proven);
