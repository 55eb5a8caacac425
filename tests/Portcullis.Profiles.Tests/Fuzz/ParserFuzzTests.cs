using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Tests.Support;

namespace Portcullis.Profiles.Tests.Fuzz;

/// <summary>
/// Property: whatever bytes come in, loading (and validating what loads) either succeeds or throws the typed
/// <see cref="ProfileException"/>. Inputs are random text and the real test files mutated by deletion,
/// insertion and duplication of slices, which reach far deeper into the readers than random text does.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        File.ReadAllText(Repo.Data("seccomp/docker-default.json")),
        File.ReadAllText(Repo.Data("seccomp/containers-common.json")),
        File.ReadAllText(Repo.Data("spo/seccompprofile.yaml")),
        File.ReadAllText(Repo.Data("spo/apparmorprofile-sleep-crun.yaml")),
        AppArmorRenderer.Render(new AppArmorProfile { Name = "p", Rules = [new FileRule("/a/{b,c}/**", FilePermissions.Parse("rw")), new NetworkRule("inet", "stream"), new SignalRule(["send"], ["term"], "p")] }),
    ];

    private static readonly string[] Tokens = ["{", "}", "[", "]", ",", ":", "\"", "\n", "- ", "&a ", "*a", "---", "#", "(", ")", "->", "0x", "-1", "null", "@{", "\t", "\\u0000", "18446744073709551616", "SCMP_ACT_ALLOW", "\"names\"", "profile x {"];

    [Fact]
    public void No_exception_but_the_typed_one_escapes_from_random_text()
    {
        var gen = Gen.ArrayOf(Gen.Elements(Tokens.Concat(["a", "1", " ", "x: ", "/p r,"]).ToArray())).Select(parts => string.Concat(parts));
        Prop.ForAll(gen.ToArbitrary(), OnlyTypedExceptions).Check(Config.QuickThrowOnFailure.WithMaxTest(1500));
    }

    [Fact]
    public void No_exception_but_the_typed_one_escapes_from_mutated_real_files()
    {
        var gen =
            from seed in Gen.Elements(Seeds)
            from edits in Gen.ArrayOf(
                from kind in Gen.Choose(0, 3)
                from at in Gen.Choose(0, 100_000)
                from length in Gen.Choose(1, 60)
                from token in Gen.Elements(Tokens)
                select (kind, (at, length), token))
            select Mutate(seed, edits);
        Prop.ForAll(gen.ToArbitrary(), OnlyTypedExceptions).Check(Config.QuickThrowOnFailure.WithMaxTest(1500));
    }

    private static string Mutate(string text, (int Kind, (int At, int Length) Span, string Token)[] edits)
    {
        var sb = new StringBuilder(text);
        foreach (var (kind, (at, length), token) in edits)
        {
            var i = sb.Length == 0 ? 0 : at % sb.Length;
            var n = Math.Min(length, sb.Length - i);
            switch (kind)
            {
                case 0: sb.Remove(i, n); break;
                case 1: sb.Insert(i, token); break;
                case 2: sb.Insert(i, sb.ToString(i, n)); break;
                default: if (n > 0) sb[i] = token[0]; break;
            }
        }
        return sb.ToString();
    }

    private static bool OnlyTypedExceptions(string text)
    {
        try
        {
            foreach (var doc in Load.Text(text, "fuzz"))
            {
                _ = doc switch
                {
                    SeccompDocument s => SeccompValidator.Validate(s.Profile).Count + Load.Json(SeccompCanonicalizer.Normalize(s.Profile)).Length,
                    AppArmorDocument a => AppArmorValidator.Validate(a.Profile).Count + AppArmorRenderer.Render(a.Profile).Length,
                    _ => 0,
                };
            }
            return true;
        }
        catch (ProfileException e)
        {
            return e.Diagnostic.Code.StartsWith("PCL", StringComparison.Ordinal) && !e.Diagnostic.Message.Contains('\n', StringComparison.Ordinal);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"untyped {e.GetType().Name} for input of {text.Length} chars: {e.Message}\n{e.StackTrace}", e);
        }
    }
}
