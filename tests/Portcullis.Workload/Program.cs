using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Portcullis.Workload;

return args.FirstOrDefault() switch
{
    "threads" => Threads(),
    "spawn" => Spawn(),
    "spawn-as" => SpawnAs(args.ElementAtOrDefault(1), null),
    "spawn-in" => SpawnAs(null, args[1]),
    "io" => Io(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)),
    "x32" => X32(),
    "exit" => int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture),
    _ => Usage(),
};

static int Threads()
{
    var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
    {
        var buffer = new byte[390 * 6];
        for (var i = 0; i < 3; i++)
            _ = Native.uname(buffer);
    })).ToList();
    threads.ForEach(t => t.Start());
    threads.ForEach(t => t.Join());
    return 0;
}

static int Spawn()
{
    using var child = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exec /usr/bin/id -u > /dev/null"]))!;
    child.WaitForExit();
    return child.ExitCode;
}

// /bin/true, as the named user (ProcessStartInfo.UserName) or in the named directory when given: what the analyzer's
// argument guards rest on.
static int SpawnAs(string? user, string? directory)
{
    using var child = Process.Start(new ProcessStartInfo("/bin/true") { UserName = user, WorkingDirectory = directory })!;
    child.WaitForExit();
    return child.ExitCode;
}

static int Io(string dir, int port)
{
    var file = Path.Combine(dir, "data.txt");
    File.WriteAllText(file, "portcullis");
    var text = File.ReadAllText(file);
    File.Delete(file);

    var listener = new TcpListener(IPAddress.Loopback, port);
    listener.Start();
    using (var client = new TcpClient())
    {
        client.Connect(IPAddress.Loopback, port);
        using var server = listener.AcceptTcpClient();
    }
    listener.Stop();
    return text == "portcullis" ? 0 : 1;
}

// A call with the x32 bit set: this kernel has no x32 ABI and answers ENOSYS, but seccomp and the
// sys_enter tracepoint see it first, which is what the recorder must classify.
static int X32()
{
    _ = Native.syscall(0x40000000 | 39);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Portcullis.Workload threads|spawn|io DIR PORT|x32|exit N");
    return 2;
}
