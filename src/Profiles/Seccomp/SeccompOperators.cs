using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.Seccomp;

public static class SeccompOperators
{
    public static WireNames<SeccompOperator> Wire { get; } = new(
        (SeccompOperator.NotEqual, "SCMP_CMP_NE"),
        (SeccompOperator.LessThan, "SCMP_CMP_LT"),
        (SeccompOperator.LessOrEqual, "SCMP_CMP_LE"),
        (SeccompOperator.Equal, "SCMP_CMP_EQ"),
        (SeccompOperator.GreaterOrEqual, "SCMP_CMP_GE"),
        (SeccompOperator.GreaterThan, "SCMP_CMP_GT"),
        (SeccompOperator.MaskedEqual, "SCMP_CMP_MASKED_EQ"));
}
