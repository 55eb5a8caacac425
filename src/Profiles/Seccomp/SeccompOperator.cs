namespace Portcullis.Profiles.Seccomp;

public enum SeccompOperator
{
    NotEqual,
    LessThan,
    LessOrEqual,
    Equal,
    GreaterOrEqual,
    GreaterThan,
    MaskedEqual,
}
