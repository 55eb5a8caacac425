using System.Text;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;

namespace Portcullis.Profiles.Tests.Documents;

public sealed class JsonDocReaderTests
{
    private static DocNode Read(string json) => JsonDocReader.Read(Encoding.UTF8.GetBytes(json), "f.json");

    [Fact]
    public void Nodes_know_their_line_and_column()
    {
        var root = (DocMap)Read("{\n  \"a\": [1,\n    \"x\"]\n}");
        var list = (DocList)root.Get("a")!;
        Assert.Equal((2, 8), (list.Origin.Line, list.Origin.Column));
        Assert.Equal((3, 5), (list.Items[1].Origin.Line, list.Items[1].Origin.Column));
        Assert.Equal((2, 3), (root.Entries[0].KeyOrigin.Line, root.Entries[0].KeyOrigin.Column));
    }

    [Theory]
    [InlineData("{\"a\": 1,}", 1)]
    [InlineData("{\n\"a\": tru\n}", 2)]
    [InlineData("{\"a\": 1} {}", 1)]
    [InlineData("[1, 2", 1)]
    public void Malformed_json_names_the_line(string json, int line)
    {
        var e = Assert.Throws<ProfileException>(() => Read(json));
        Assert.Equal(DiagnosticId.MalformedJson, e.Diagnostic.Id);
        Assert.Equal(line, e.Diagnostic.Origin.Line);
        Assert.StartsWith("PCL1004: malformed JSON", e.Diagnostic.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_keys_are_refused_at_the_second_key()
    {
        var e = Assert.Throws<ProfileException>(() => Read("{\"a\": 1,\n \"a\": 2}"));
        Assert.Equal(DiagnosticId.DuplicateKey, e.Diagnostic.Id);
        Assert.Equal((2, 2), (e.Diagnostic.Origin.Line, e.Diagnostic.Origin.Column));
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);
        Assert.Equal(DiagnosticId.MalformedJson, Assert.Throws<ProfileException>(() => Read(json)).Diagnostic.Id);
    }

    [Fact]
    public void Numbers_keep_their_spelling_and_big_values_survive_writing()
    {
        var node = Read("{\"v\": 18446744073709551615, \"n\": -3, \"f\": 1.5}");
        var written = Encoding.UTF8.GetString(DocJsonWriter.Write(node));
        Assert.Contains("18446744073709551615", written, StringComparison.Ordinal);
        Assert.Equal(node, JsonDocReader.Read(Encoding.UTF8.GetBytes(written), "again.json"));
    }
}
