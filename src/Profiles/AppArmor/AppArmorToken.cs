namespace Portcullis.Profiles.AppArmor;

internal enum AppArmorTokenKind
{
    Word,
    Quoted,
    Comma,
    Open,
    Close,
    Arrow,
    Include,
    EndOfLine,
}

/// <summary>A lexical token of policy text with its offset, for error positions and raw-rule spans.</summary>
internal readonly record struct AppArmorToken(AppArmorTokenKind Kind, string Text, int Offset, int End);
