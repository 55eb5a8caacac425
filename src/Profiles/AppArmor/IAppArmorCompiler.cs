using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.AppArmor;

/// <summary>Compiles AppArmor policy text without loading it, reporting what the compiler refuses.</summary>
public interface IAppArmorCompiler
{
    IReadOnlyList<Diagnostic> Check(string policy, Origin origin);
}
