namespace Portcullis.Cli.Commands;

internal enum OutputFormat
{
    Oci,
    Spo,
    AppArmor,
}
