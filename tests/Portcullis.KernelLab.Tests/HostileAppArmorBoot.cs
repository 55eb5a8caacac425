using System.Text;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Runtime.Controller;
using Portcullis.Runtime.Resources;

namespace Portcullis.KernelLab.Tests;

/// <summary>
/// One boot for an image's hostile AppArmor artifact (finding 4 of the runtime review): on the host, what the
/// controller makes of it; in the VM, on a real AppArmor kernel, what the one apparmor_parser wrapper does when fed
/// such includes directly: `include "/dev/zero"`, and an include of a FIFO nobody writes, which blocks a bare parser forever.
/// </summary>
public sealed class HostileAppArmorBoot
{
    public const string Zero = "profile portcullis-hostile {\n  /app/** mr,\n  include \"/dev/zero\"\n}\n";
    public const string Fifo = "profile portcullis-hostile {\n  /app/** mr,\n  include \"/tmp/never\"\n}\n";

    public HostileAppArmorBoot()
    {
        ControllerVerdict = ClusterPolicy.Open.CheckContent(ProfileType.AppArmor, "sha256-hostile", Encoding.UTF8.GetBytes(Zero));
        try
        {
            ClusterPolicy.RenameAppArmor(Encoding.UTF8.GetBytes(Zero), "portcullis-sha256-hostile");
        }
        catch (ProfileException e)
        {
            RenameRefusal = e.Diagnostic;
        }

        var portcullis = $"dotnet exec {Path.Combine(AppContext.BaseDirectory, "portcullis.dll")}";
        Boot = KernelVm.Run($$"""
            export DOTNET_CLI_HOME=/tmp DOTNET_NOLOGO=1
            echo "== zero"
            echo "ENABLED=$(cat /sys/module/apparmor/parameters/enabled)"
            {{portcullis}} validate --apparmor-parser /mnt/zero.profile; echo "VALIDATE=$?"
            echo "== fifo"
            mkfifo /tmp/never
            {{portcullis}} validate --apparmor-parser /mnt/fifo.profile; echo "VALIDATE=$?"
            echo "LEFT=$(ps -eo comm | grep -c '^apparmor_parser')"
            echo "== end"
            """, KernelVm.HangLimit, share =>
            {
                File.WriteAllText(Path.Combine(share, "zero.profile"), Zero);
                File.WriteAllText(Path.Combine(share, "fifo.profile"), Fifo);
            });
    }

    public string? ControllerVerdict { get; }
    public Diagnostic? RenameRefusal { get; }
    public KernelVm.Result Boot { get; }

    public string Part(string name) => Boot.Part(name);
}
