using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Documents;

/// <summary>A leaf value. <see cref="Text"/> is the value as written (numbers keep their spelling).</summary>
public sealed record DocScalar(ScalarKind Kind, string Text, Origin Origin = default) : DocNode(Origin)
{
    public override string KindName => Kind switch
    {
        ScalarKind.String => "string",
        ScalarKind.Number => "number",
        ScalarKind.Boolean => "boolean",
        _ => "null",
    };

    public static DocScalar String(string text) => new(ScalarKind.String, text);
    public static DocScalar Number(ulong value) => new(ScalarKind.Number, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static DocScalar Number(long value) => new(ScalarKind.Number, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static DocScalar Boolean(bool value) => new(ScalarKind.Boolean, value ? "true" : "false");
}
