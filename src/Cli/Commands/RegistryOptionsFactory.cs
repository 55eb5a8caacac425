using System.CommandLine;
using Portcullis.Oci.Transport;

namespace Portcullis.Cli.Commands;

internal static class RegistryOptionsFactory
{
    public static Option<string[]> InsecureOption() => new("--insecure-registry")
    {
        Description = "Reach this registry (host[:port]) over plain HTTP (repeatable). localhost and 127.0.0.1 always are.",
        HelpName = "host",
    };

    public static RegistryOptions From(ParseResult parse, Option<string[]> insecure) =>
        new() { InsecureRegistries = parse.GetValue(insecure) ?? [] };
}
