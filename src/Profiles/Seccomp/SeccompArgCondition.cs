namespace Portcullis.Profiles.Seccomp;

/// <summary>One argument comparison: argument <see cref="Index"/> (0–5) compared by <see cref="Operator"/>. MASKED_EQ means (arg &amp; Value) == ValueTwo.</summary>
public sealed record SeccompArgCondition(uint Index, ulong Value, ulong ValueTwo, SeccompOperator Operator)
{
    /// <summary>Orders conditions by index, operator and values, for canonical output.</summary>
    public static Comparer<SeccompArgCondition> Order { get; } = Comparer<SeccompArgCondition>.Create(Compare);

    private static int Compare(SeccompArgCondition? self, SeccompArgCondition? other)
    {
        if (self is null || other is null)
            return self is null ? (other is null ? 0 : -1) : 1;
        var c = self.Index.CompareTo(other.Index);
        if (c == 0) c = self.Operator.CompareTo(other.Operator);
        if (c == 0) c = self.Value.CompareTo(other.Value);
        if (c == 0) c = self.ValueTwo.CompareTo(other.ValueTwo);
        return c;
    }

    public override string ToString() => Operator == SeccompOperator.MaskedEqual
        ? $"(arg{Index} & {Value:#x}) == {ValueTwo:#x}"
        : $"arg{Index} {SeccompOperators.Wire.Name(Operator)["SCMP_CMP_".Length..]} {Value}";
}
