using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;

namespace Portcullis.Profiles.Tests.Documents;

public sealed class YamlDocReaderTests
{
    [Fact]
    public void Reads_every_document_of_a_stream_with_positions()
    {
        var docs = YamlDocReader.ReadAll("a: 1\n---\nb:\n  - x\n  - y\n", "f.yaml");
        Assert.Equal(2, docs.Count);
        var list = (DocList)((DocMap)docs[1]).Get("b")!;
        Assert.Equal((5, 5), (list.Items[1].Origin.Line, list.Items[1].Origin.Column));
    }

    [Theory]
    [InlineData("v: 12", ScalarKind.Number)]
    [InlineData("v: 0x1F", ScalarKind.Number)]
    [InlineData("v: \"12\"", ScalarKind.String)]
    [InlineData("v: true", ScalarKind.Boolean)]
    [InlineData("v: ~", ScalarKind.Null)]
    [InlineData("v: null", ScalarKind.Null)]
    [InlineData("v: yes", ScalarKind.String)]
    [InlineData("v: SCMP_ACT_ALLOW", ScalarKind.String)]
    [InlineData("v: !!str 12", ScalarKind.String)]
    public void Plain_scalars_are_typed_by_the_core_schema(string yaml, ScalarKind kind)
    {
        var doc = (DocMap)YamlDocReader.ReadAll(yaml, "f.yaml")[0];
        Assert.Equal(kind, ((DocScalar)doc.Get("v")!).Kind);
    }

    [Fact]
    public void An_alias_bomb_is_refused()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 0; i < 9; i++)
            yaml += $"{(char)('b' + i)}: &{(char)('b' + i)} [*{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}]\n";
        var e = Assert.Throws<ProfileException>(() => YamlDocReader.ReadAll(yaml, "bomb.yaml"));
        Assert.Equal(DiagnosticId.DocumentTooComplex, e.Diagnostic.Id);
    }

    [Fact]
    public void Malformed_yaml_names_the_place()
    {
        var e = Assert.Throws<ProfileException>(() => YamlDocReader.ReadAll("a: [1, 2\nb: 3\n", "f.yaml"));
        Assert.Equal(DiagnosticId.MalformedYaml, e.Diagnostic.Id);
        Assert.Equal("f.yaml", e.Diagnostic.Origin.File);
        Assert.True(e.Diagnostic.Origin.Line >= 1);
    }

    [Fact]
    public void Duplicate_keys_are_refused() =>
        Assert.Equal(DiagnosticId.DuplicateKey, Assert.Throws<ProfileException>(() => YamlDocReader.ReadAll("a: 1\na: 2\n", "f.yaml")).Diagnostic.Id);

    [Fact]
    public void Strings_that_look_like_other_types_are_quoted_when_written()
    {
        var doc = new DocMap([new DocEntry("a", DocScalar.String("true")), new DocEntry("b", DocScalar.String("12")), new DocEntry("c", DocScalar.String("plain"))]);
        var text = DocYamlWriter.Write([doc]);
        Assert.Equal(doc, YamlDocReader.ReadAll(text, "w.yaml")[0]);
        Assert.Contains("c: plain", text, StringComparison.Ordinal);
    }
}
