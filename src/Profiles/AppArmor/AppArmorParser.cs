using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.AppArmor;

/// <summary>
/// Reads AppArmor policy text into <see cref="AppArmorProfile"/>s: the preamble (abi, includes, variables),
/// then each top-level profile with the rule kinds of the model. Other rule kinds and nested profiles/hats
/// are kept verbatim as <see cref="RawRule"/>s. Errors name file:line:col.
/// </summary>
public sealed class AppArmorParser
{
    private readonly string _text;
    private readonly string _file;
    private readonly bool _untrusted;
    private readonly List<int> _lineStarts = [0];
    private List<AppArmorToken> _tokens = [];
    private int _pos;

    private AppArmorParser(string text, string file, bool untrusted)
    {
        _text = text;
        _file = file;
        _untrusted = untrusted;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
                _lineStarts.Add(i + 1);
        }
    }

    public static IReadOnlyList<AppArmorProfile> Parse(string text, string file) => Parse(text, file, untrusted: false);

    /// <param name="untrusted">Refuse, at their line, preamble entries <see cref="UntrustedAppArmor"/> does not allow (they keep no origin in the model).</param>
    internal static IReadOnlyList<AppArmorProfile> Parse(string text, string file, bool untrusted)
    {
        var parser = new AppArmorParser(text, file, untrusted);
        parser._tokens = new AppArmorLexer(text, parser.OriginAt).Tokenize();
        return parser.ParseFile();
    }

    private Origin OriginAt(int offset)
    {
        var line = _lineStarts.BinarySearch(offset);
        if (line < 0)
            line = ~line - 1;
        return new Origin(_file, line + 1, offset - _lineStarts[line] + 1);
    }

    private List<AppArmorProfile> ParseFile()
    {
        var preamble = new List<string>();
        string? abi = null;
        var profiles = new List<AppArmorProfile>();
        while (SkipLineEnds())
        {
            var start = Peek();
            if (start.Kind == AppArmorTokenKind.Include)
            {
                var include = ReadInclude();
                if (_untrusted)
                    UntrustedAppArmor.CheckPreambleInclude(include);
                preamble.Add(include.Render());
            }
            else if (start is { Kind: AppArmorTokenKind.Word, Text: "abi" })
            {
                var tokens = ReadUntilComma();
                abi = tokens.Count == 2 ? tokens[1].Text.Trim('<', '>', '"') : throw Error(start, "expected 'abi <abi/N.N>,'");
                if (_untrusted && !UntrustedAppArmor.IsAbi(tokens[1].Kind == AppArmorTokenKind.Word ? tokens[1].Text : ""))
                    throw ProfileException.At(DiagnosticId.AppArmorIncludeNotAllowed, $"'abi {tokens[1].Text}' is not allowed in an image's profile: only abi <abi/N.N>", OriginAt(start.Offset));
            }
            else if (start.Kind == AppArmorTokenKind.Word && start.Text.StartsWith("@{", StringComparison.Ordinal))
            {
                if (_untrusted)
                    throw ProfileException.At(DiagnosticId.AppArmorVariableNotAllowed, $"'{ReadRestOfLine(start)}': an image's profile may not define variables; they come only from the node's <tunables/...>", OriginAt(start.Offset));
                preamble.Add(ReadRestOfLine(start));
            }
            else
            {
                profiles.Add(ReadProfile() with { Abi = abi, Preamble = preamble.ToValueList() });
            }
        }
        if (profiles.Count == 0)
            throw ProfileException.At(DiagnosticId.MalformedAppArmor, "no profile found (expected 'profile NAME {' or '/path {')", new Origin(_file, 1, 1));
        return profiles;
    }

    private AppArmorProfile ReadProfile()
    {
        var header = new List<AppArmorToken>();
        var start = Peek();
        while (Peek().Kind != AppArmorTokenKind.Open)
        {
            var t = Next();
            if (t.Kind is AppArmorTokenKind.Comma or AppArmorTokenKind.Close)
                throw Error(t, $"unexpected '{t.Text}' outside a profile; expected 'profile NAME {{'");
            if (t.Kind != AppArmorTokenKind.EndOfLine)
                header.Add(t);
        }
        Next();

        var words = header.Select(h => h.Text).ToList();
        if (words.Count > 0 && words[0] == "profile")
            words.RemoveAt(0);
        var flags = new List<string>();
        var flagWord = words.FindIndex(w => w.StartsWith("flags=", StringComparison.Ordinal));
        if (flagWord >= 0)
        {
            flags.AddRange(SplitGroup(words[flagWord]["flags=".Length..]));
            words.RemoveAt(flagWord);
        }
        if (words.Count is 0 or > 2)
            throw Error(start, "a profile header is 'profile NAME [ATTACHMENT] [flags=(...)] {'");

        var rules = new List<AppArmorRule>();
        while (true)
        {
            SkipLineEnds();
            var t = Peek();
            if (t.Kind == AppArmorTokenKind.Close)
            {
                Next();
                break;
            }
            rules.Add(ReadRule());
        }
        return new AppArmorProfile
        {
            Name = words[0],
            Attachment = words.Count == 2 ? words[1] : null,
            Flags = flags.ToValueList(),
            Rules = rules.ToValueList(),
            Origin = OriginAt(start.Offset),
        };
    }

    private AppArmorRule ReadRule()
    {
        var first = Peek();
        if (first.Kind == AppArmorTokenKind.Include)
            return ReadInclude();

        var tokens = ReadStatement(out var nestedBlock);
        var origin = OriginAt(first.Offset);
        if (nestedBlock)
            return new RawRule(_text[first.Offset..tokens[^1].End], IsBlock: true) { Origin = origin };

        var i = 0;
        bool audit = false, deny = false, owner = false;
        for (; i < tokens.Count && tokens[i].Kind == AppArmorTokenKind.Word; i++)
        {
            if (tokens[i].Text == "audit") audit = true;
            else if (tokens[i].Text == "deny") deny = true;
            else if (tokens[i].Text == "allow") { }
            else if (tokens[i].Text == "owner") owner = true;
            else break;
        }
        var rest = tokens.Skip(i).ToList();
        if (rest.Count == 0)
            throw Error(first, "empty rule");

        AppArmorRule rule = rest[0].Text switch
        {
            "capability" when rest[0].Kind == AppArmorTokenKind.Word => new CapabilityRule(rest.Skip(1).Select(t => t.Text).ToValueList()),
            "network" when rest[0].Kind == AppArmorTokenKind.Word && rest.Count <= 3 => ReadNetwork(rest),
            "signal" when rest[0].Kind == AppArmorTokenKind.Word => ReadSignal(rest),
            "ptrace" when rest[0].Kind == AppArmorTokenKind.Word => ReadPtrace(rest),
            "unix" when rest[0].Kind == AppArmorTokenKind.Word => ReadUnix(rest),
            _ => ReadFileOrRaw(rest, origin, owner),
        };
        if (owner && rule is not FileRule and not RawRule)
            throw Error(first, "'owner' applies to file rules only");
        return rule with { Audit = audit, Deny = deny, Origin = origin };
    }

    private AppArmorRule ReadFileOrRaw(List<AppArmorToken> rest, Origin origin, bool owner)
    {
        var words = rest;
        if (words[0] is { Kind: AppArmorTokenKind.Word, Text: "file" })
            words = words.Skip(1).ToList();
        var arrow = words.FindIndex(t => t.Kind == AppArmorTokenKind.Arrow);
        var target = arrow >= 0 && arrow + 1 < words.Count ? words[arrow + 1].Text : null;
        var main = arrow >= 0 ? words.Take(arrow).ToList() : words;
        if (main.Count == 2)
        {
            var pathFirst = IsPath(main[0]);
            var path = pathFirst ? main[0] : main[1];
            var perms = pathFirst ? main[1] : main[0];
            if (IsPath(path) && perms.Kind == AppArmorTokenKind.Word)
                return new FileRule(path.Text, FilePermissions.Parse(perms.Text, OriginAt(perms.Offset)), target) { Owner = owner };
        }
        if (main.Count > 0 && IsPath(main[0]))
            throw ProfileException.At(DiagnosticId.MalformedAppArmor, "a file rule is 'PATH PERMISSIONS [-> TARGET],'", origin);
        return new RawRule(_text[rest[0].Offset..rest[^1].End]);
    }

    private static bool IsPath(AppArmorToken t) =>
        t.Kind == AppArmorTokenKind.Quoted || t.Text.StartsWith('/') || t.Text.StartsWith("@{", StringComparison.Ordinal) || t.Text.StartsWith("**", StringComparison.Ordinal);

    // "network raw" names a type, not a family: both parts are optional.
    private static NetworkRule ReadNetwork(List<AppArmorToken> rest) => rest.Count switch
    {
        1 => new NetworkRule(null, null),
        2 when AppArmorValidator.IsSocketType(rest[1].Text) => new NetworkRule(null, rest[1].Text),
        2 => new NetworkRule(rest[1].Text, null),
        _ => new NetworkRule(rest[1].Text, rest[2].Text),
    };

    private static SignalRule ReadSignal(List<AppArmorToken> rest)
    {
        var access = new List<string>();
        var signals = new List<string>();
        string? peer = null;
        foreach (var t in rest.Skip(1))
        {
            if (t.Text.StartsWith("set=", StringComparison.Ordinal)) signals.AddRange(SplitGroup(t.Text[4..]));
            else if (t.Text.StartsWith("peer=", StringComparison.Ordinal)) peer = t.Text[5..];
            else access.AddRange(SplitGroup(t.Text));
        }
        return new SignalRule(access.ToValueList(), signals.ToValueList(), peer);
    }

    private static PtraceRule ReadPtrace(List<AppArmorToken> rest)
    {
        var access = new List<string>();
        string? peer = null;
        foreach (var t in rest.Skip(1))
        {
            if (t.Text.StartsWith("peer=", StringComparison.Ordinal)) peer = t.Text[5..];
            else access.AddRange(SplitGroup(t.Text));
        }
        return new PtraceRule(access.ToValueList(), peer);
    }

    private static UnixRule ReadUnix(List<AppArmorToken> rest)
    {
        var access = new List<string>();
        string? type = null, addr = null, peer = null;
        foreach (var t in rest.Skip(1))
        {
            if (t.Text.StartsWith("type=", StringComparison.Ordinal)) type = t.Text[5..];
            else if (t.Text.StartsWith("addr=", StringComparison.Ordinal)) addr = t.Text[5..].Trim('"');
            else if (t.Text.StartsWith("peer=(label=", StringComparison.Ordinal)) peer = t.Text["peer=(label=".Length..].TrimEnd(')').Trim('"');
            else access.AddRange(SplitGroup(t.Text));
        }
        return new UnixRule(access.ToValueList(), type, addr, peer);
    }

    private static string[] SplitGroup(string text) =>
        text.Trim().TrimStart('(').TrimEnd(')').Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private IncludeRule ReadInclude()
    {
        var start = Next();
        var ifExists = false;
        if (Peek() is { Kind: AppArmorTokenKind.Word, Text: "if" })
        {
            Next();
            if (Next() is not { Text: "exists" })
                throw Error(start, "expected 'include if exists <path>'");
            ifExists = true;
        }
        var target = Next();
        if (target.Kind == AppArmorTokenKind.Quoted)
            return new IncludeRule(target.Text, SearchPath: false, ifExists) { Origin = OriginAt(start.Offset) };
        if (target.Kind == AppArmorTokenKind.Word && target.Text.StartsWith('<') && target.Text.EndsWith('>'))
            return new IncludeRule(target.Text[1..^1], SearchPath: true, ifExists) { Origin = OriginAt(start.Offset) };
        throw Error(target, "expected an include path in <...> or \"...\"");
    }

    private string ReadRestOfLine(AppArmorToken start)
    {
        var end = start.End;
        while (_pos < _tokens.Count && _tokens[_pos].Kind != AppArmorTokenKind.EndOfLine)
            end = _tokens[_pos++].End;
        return _text[start.Offset..end].Trim();
    }

    /// <summary>Tokens up to the rule's comma (excluded); a nested block (hat or child profile) is consumed whole.</summary>
    private List<AppArmorToken> ReadStatement(out bool nestedBlock)
    {
        nestedBlock = false;
        var tokens = new List<AppArmorToken>();
        while (true)
        {
            if (_pos >= _tokens.Count)
                throw Error(tokens.Count > 0 ? tokens[0] : _tokens[^1], "rule is not terminated by ',' (or the profile by '}')");
            var t = Next();
            if (t.Kind == AppArmorTokenKind.EndOfLine)
                continue;
            if (t.Kind == AppArmorTokenKind.Comma)
                return tokens.Count > 0 ? tokens : throw Error(t, "unexpected ','");
            if (t.Kind == AppArmorTokenKind.Close)
                throw Error(t, "rule is not terminated by ','");
            tokens.Add(t);
            if (t.Kind == AppArmorTokenKind.Open)
            {
                nestedBlock = true;
                var depth = 1;
                while (depth > 0)
                {
                    if (_pos >= _tokens.Count)
                        throw Error(t, "unclosed '{'");
                    var inner = Next();
                    depth += inner.Kind == AppArmorTokenKind.Open ? 1 : inner.Kind == AppArmorTokenKind.Close ? -1 : 0;
                    tokens.Add(inner);
                }
                return tokens;
            }
        }
    }

    private List<AppArmorToken> ReadUntilComma()
    {
        var tokens = new List<AppArmorToken>();
        while (_pos < _tokens.Count && _tokens[_pos].Kind != AppArmorTokenKind.Comma)
        {
            var t = Next();
            if (t.Kind != AppArmorTokenKind.EndOfLine)
                tokens.Add(t);
        }
        if (_pos < _tokens.Count)
            Next();
        return tokens;
    }

    private bool SkipLineEnds()
    {
        while (_pos < _tokens.Count && _tokens[_pos].Kind == AppArmorTokenKind.EndOfLine)
            _pos++;
        return _pos < _tokens.Count;
    }

    private AppArmorToken Peek() =>
        _pos < _tokens.Count ? _tokens[_pos] : throw ProfileException.At(DiagnosticId.MalformedAppArmor, "unexpected end of file (missing '}'?)", OriginAt(_text.Length));

    private AppArmorToken Next()
    {
        var t = Peek();
        _pos++;
        return t;
    }

    private ProfileException Error(AppArmorToken at, string message) =>
        ProfileException.At(DiagnosticId.MalformedAppArmor, message, OriginAt(at.Offset));
}
