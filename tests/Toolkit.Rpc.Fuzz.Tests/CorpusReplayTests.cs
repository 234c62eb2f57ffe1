using System.Diagnostics;

namespace Toolkit.Rpc.Fuzz.Tests;

/// <summary>
/// Every input of the fuzz corpus (tests/Toolkit.Rpc.Fuzz/Corpus: the seeds, and what afl-fuzz kept and any crash or
/// hang it found, saved by fuzz.sh) replayed through its target against the uninstrumented library: the library may
/// only reject it with its own exceptions, within a bounded time and allocation (<see cref="FuzzTargets.Run"/>).
/// </summary>
public sealed class CorpusReplayTests
{
    // Each input takes well under a millisecond; this bound is for a hang, not a slow machine.
    private static readonly TimeSpan PerInput = TimeSpan.FromSeconds(2);

    private static string CorpusFolder => Path.Combine(AppContext.BaseDirectory, "Corpus");

    public static TheoryData<string, string> Inputs()
    {
        TheoryData<string, string> inputs = [];
        foreach (string kind in (string[])["Seeds", "Saved"])
        {
            foreach (string target in FuzzTargets.ByName.Keys)
            {
                string folder = Path.Combine(CorpusFolder, kind, target);
                if (!Directory.Exists(folder))
                {
                    continue;
                }

                foreach (string file in Directory.EnumerateFiles(folder, "*.bin").Order(StringComparer.Ordinal))
                {
                    inputs.Add(target, Path.GetRelativePath(CorpusFolder, file));
                }
            }
        }

        return inputs;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void A_corpus_input_is_read_or_rejected_only_with_the_librarys_own_exceptions_in_bounded_time(string target, string input)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(CorpusFolder, input));
        Stopwatch clock = Stopwatch.StartNew();

        Exception? finding = Record.Exception(() => FuzzTargets.Run(target, bytes));

        clock.Stop();
        Assert.True(finding is null, $"{target} on {input}: {finding}");
        Assert.True(clock.Elapsed < PerInput, $"{target} on {input} took {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void The_corpus_holds_seeds_and_saved_inputs_for_every_target()
    {
        foreach (string target in FuzzTargets.ByName.Keys)
        {
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(CorpusFolder, "Seeds", target), "*.bin"));
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(CorpusFolder, "Saved", target), "*.bin"));
        }
    }

    [Fact]
    public void The_checked_in_seeds_are_what_the_encoders_write_now_and_each_is_valid_input()
    {
        foreach ((string target, Dictionary<string, byte[]> seeds) in SeedCorpus.All())
        {
            string folder = Path.Combine(CorpusFolder, "Seeds", target);
            Assert.Equal(
                seeds.Keys.Select(name => name + ".bin").Order(StringComparer.Ordinal),
                Directory.EnumerateFiles(folder, "*.bin").Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach ((string name, byte[] bytes) in seeds)
            {
                // Regenerate with: dotnet run --project tests/Toolkit.Rpc.Fuzz -- seeds tests/Toolkit.Rpc.Fuzz/Corpus/Seeds
                Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, name + ".bin"))), $"seed {target}/{name} is out of date");
                Assert.True(FuzzTargets.Run(target, bytes), $"seed {target}/{name} is not read as valid input");
            }
        }
    }
}
