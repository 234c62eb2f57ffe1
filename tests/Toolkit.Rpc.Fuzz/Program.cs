using System.Runtime.CompilerServices;
using SharpFuzz;
using Toolkit.Rpc.Fuzz;

// Toolkit.Rpc.Fuzz TARGET                  run TARGET under afl-fuzz (out of process: a crash or hang never ends the campaign)
// Toolkit.Rpc.Fuzz seeds DIRECTORY         write the seed corpus, DIRECTORY/TARGET/NAME.bin
// Toolkit.Rpc.Fuzz replay TARGET PATH...   run TARGET on files (or every file of folders) and say how each ends
//
// Nothing of Toolkit.Rpc.Fuzz.Targets may run before the fuzz loop: its module initializer (the generated
// registrations) would run instrumented code before SharpFuzz attaches to afl's shared memory. So the target names are
// checked here, and the targets are touched only in methods of their own (never inlined: compiling this one would load
// the module), which run inside the loop or in the modes that run uninstrumented.
string[] targets = ["frames", "handshake", "values"];
switch (args)
{
    case [string target] when targets.Contains(target):
        Fuzzer.OutOfProcess.Run(stream => Fuzz(target, stream));
        return 0;
    case ["seeds", string directory]:
        WriteSeeds(directory);
        return 0;
    case ["replay", string target, .. string[] paths] when targets.Contains(target):
        return Replay(target, paths);
    default:
        Console.Error.WriteLine($"usage: Toolkit.Rpc.Fuzz {string.Join("|", targets)} | seeds DIRECTORY | replay TARGET PATH...");
        return 2;
}

[MethodImpl(MethodImplOptions.NoInlining)]
static void Fuzz(string target, Stream stream)
{
    using MemoryStream input = new();
    stream.CopyTo(input);
    _ = FuzzTargets.Run(target, input.GetBuffer().AsMemory(0, (int)input.Length));
}

[MethodImpl(MethodImplOptions.NoInlining)]
static void WriteSeeds(string directory) => SeedCorpus.Write(directory);

[MethodImpl(MethodImplOptions.NoInlining)]
static int Replay(string target, string[] paths)
{
    int findings = 0;
    IEnumerable<string> files = paths.SelectMany(path => Directory.Exists(path) ? Directory.EnumerateFiles(path).Order(StringComparer.Ordinal) : (IEnumerable<string>)[path]);
    foreach (string file in files)
    {
        try
        {
            Console.WriteLine(FuzzTargets.Run(target, File.ReadAllBytes(file)) ? $"valid    {file}" : $"rejected {file}");
        }
        catch (Exception exception)
        {
            findings++;
            Console.WriteLine($"FINDING  {file}: {exception}");
        }
    }

    return findings == 0 ? 0 : 1;
}
