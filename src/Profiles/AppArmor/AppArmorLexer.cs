using System.Text;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.AppArmor;

/// <summary>
/// Splits AppArmor policy text into tokens. Braces and commas inside a word are glob alternation
/// (<c>/etc/{passwd,group}</c>), parentheses are groups (<c>set=(term, kill)</c>); a brace standing alone
/// opens or closes a block. Line ends are reported because includes and variables end at them.
/// </summary>
internal sealed class AppArmorLexer(string text, Func<int, Origin> originAt)
{
    public List<AppArmorToken> Tokenize()
    {
        var tokens = new List<AppArmorToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                tokens.Add(new(AppArmorTokenKind.EndOfLine, "\n", i, i + 1));
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                if (string.CompareOrdinal(text, i, "#include", 0, 8) == 0)
                {
                    tokens.Add(new(AppArmorTokenKind.Include, "include", i, i + 8));
                    i += 8;
                }
                else
                {
                    while (i < text.Length && text[i] != '\n')
                        i++;
                }
            }
            else if (c == ',')
            {
                tokens.Add(new(AppArmorTokenKind.Comma, ",", i, i + 1));
                i++;
            }
            else if (c == '{')
            {
                tokens.Add(new(AppArmorTokenKind.Open, "{", i, i + 1));
                i++;
            }
            else if (c == '}')
            {
                tokens.Add(new(AppArmorTokenKind.Close, "}", i, i + 1));
                i++;
            }
            else if (c == '-' && i + 1 < text.Length && text[i + 1] == '>')
            {
                tokens.Add(new(AppArmorTokenKind.Arrow, "->", i, i + 2));
                i += 2;
            }
            else if (c == '"')
            {
                var start = i;
                var value = ReadQuoted(ref i);
                tokens.Add(new(AppArmorTokenKind.Quoted, value, start, i));
            }
            else
            {
                var start = i;
                var word = ReadWord(ref i);
                tokens.Add(new(word == "include" ? AppArmorTokenKind.Include : AppArmorTokenKind.Word, word, start, i));
            }
        }
        return tokens;
    }

    private string ReadQuoted(ref int i)
    {
        var start = i;
        var sb = new StringBuilder();
        i++;
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length)
                i++;
            sb.Append(text[i]);
            i++;
        }
        if (i >= text.Length)
            throw ProfileException.At(DiagnosticId.MalformedAppArmor, "unterminated quoted string", originAt(start));
        i++;
        return sb.ToString();
    }

    private string ReadWord(ref int i)
    {
        var start = i;
        var braces = 0;
        var parens = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '(')
                parens++;
            else if (c == ')')
                parens = Math.Max(0, parens - 1);
            else if (parens == 0)
            {
                if (c == '{' && i > start)
                    braces++;
                else if (c == '}' && braces > 0)
                    braces--;
                else if (braces == 0 && (char.IsWhiteSpace(c) || c is ',' or '{' or '}' or '#'))
                    break;
                else if (braces == 0 && c == '-' && i + 1 < text.Length && text[i + 1] == '>')
                    break;
            }
            else if (c == '\n')
            {
                throw ProfileException.At(DiagnosticId.MalformedAppArmor, "unclosed '('", originAt(start));
            }
            i++;
        }
        if (braces > 0)
            throw ProfileException.At(DiagnosticId.MalformedAppArmor, "unclosed '{' in a glob", originAt(start));
        return text[start..i];
    }
}
