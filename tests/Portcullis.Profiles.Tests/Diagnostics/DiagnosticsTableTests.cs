using System.Globalization;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Tests.Diagnostics;

public sealed class DiagnosticsTableTests
{
    [Fact]
    public void Every_code_is_documented_and_every_documented_code_exists()
    {
        var doc = File.ReadAllText(Path.Combine(Repo.Root, "docs", "diagnostics.md"));
        var documented = System.Text.RegularExpressions.Regex.Matches(doc, @"^\| (PCL\d{4}) \|", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        var codes = Enum.GetValues<DiagnosticId>().Select(id => string.Create(CultureInfo.InvariantCulture, $"PCL{(int)id:D4}")).ToList();
        Assert.Equal(codes.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Messages_are_one_line_whatever_user_text_they_carry()
    {
        var d = Diagnostic.Error(DiagnosticId.UnknownValue, "unknown value 'a\nb\u0001'");
        Assert.Equal("PCL1008: unknown value 'a\\nb\\u0001'", d.ToString());
    }
}
