namespace Portcullis.Profiles.Generation;

/// <summary>
/// io_uring submits file and network operations without a syscall per operation, so neither recorder sees
/// them and no seccomp rule can filter them. Docker's default profile denies it; so do generated profiles
/// unless the user asks for it (.NET's runtime uses io_uring only when told to).
/// </summary>
public static class IoUring
{
    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal) { "io_uring_setup", "io_uring_enter", "io_uring_register" };
}
