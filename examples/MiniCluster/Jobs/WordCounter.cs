using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using MiniCluster.Contracts;

namespace MiniCluster.Jobs;

/// <summary>The word count itself: the map and reduce steps the tasks run, and the single-threaded reference they are checked against.</summary>
public static class WordCounter
{
    /// <summary>Counts the words of <paramref name="text"/> into <paramref name="counts"/>.</summary>
    public static void Count(ReadOnlySpan<byte> text, Dictionary<string, long> counts)
    {
        char[] chars = new char[Encoding.ASCII.GetCharCount(text)];
        Encoding.ASCII.GetChars(text, chars);
        Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        ReadOnlySpan<char> rest = chars;
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOfAny(' ', '\n');
            ReadOnlySpan<char> word = end < 0 ? rest : rest[..end];
            if (!word.IsEmpty)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(lookup, word, out _)++;
            }

            rest = end < 0 ? [] : rest[(end + 1)..];
        }
    }

    /// <summary>The map step: the words of one shard, counted and split into <paramref name="reducers"/> partitions.</summary>
    public static PartitionCounts[] Map(ReadOnlySpan<byte> shard, int reducers)
    {
        Dictionary<string, long> counts = new(StringComparer.Ordinal);
        Count(shard, counts);
        List<WordCount>[] partitions = [.. Enumerable.Range(0, reducers).Select(_ => new List<WordCount>())];
        foreach ((string word, long count) in counts)
        {
            partitions[Partition(word, reducers)].Add(new WordCount(word, count));
        }

        return [.. partitions.Select((words, index) => new PartitionCounts(index, [.. words]))];
    }

    /// <summary>The reduce step: one partition's counts from every map, merged and sorted by word.</summary>
    public static WordCount[] Reduce(IEnumerable<WordCount> mapOutputs)
    {
        Dictionary<string, long> merged = new(StringComparer.Ordinal);
        foreach (WordCount entry in mapOutputs)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(merged, entry.Word, out _) += entry.Count;
        }

        return Sorted(merged);
    }

    /// <summary>Which reduce partition a word belongs to: a hash that every process computes alike (not <c>string.GetHashCode</c>).</summary>
    public static int Partition(string word, int reducers)
    {
        uint hash = 2166136261;
        foreach (char c in word)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash % (uint)reducers);
    }

    /// <summary>The job's result from every partition's merged counts.</summary>
    public static JobResult Result(IEnumerable<WordCount> counts, double seconds)
    {
        WordCount[] all = [.. counts.OrderBy(entry => entry.Word, StringComparer.Ordinal)];
        return new JobResult(all.Sum(entry => entry.Count), all.Length, Checksum(all), all, seconds);
    }

    /// <summary>
    /// The same count computed on one thread, the obvious way: every shard file (the files the submitter uploaded) read
    /// and counted into one dictionary. The cluster's result must equal it word for word.
    /// </summary>
    public static JobResult Reference(IEnumerable<string> shardFiles)
    {
        long started = Stopwatch.GetTimestamp();
        Dictionary<string, long> counts = new(StringComparer.Ordinal);
        foreach (string file in shardFiles)
        {
            Count(File.ReadAllBytes(file), counts);
        }

        return Result(Sorted(counts), Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Where two results differ, or null when they are equal word for word.</summary>
    public static string? Compare(JobResult expected, JobResult actual)
    {
        if (expected.Counts.Length != actual.Counts.Length)
        {
            return $"{actual.Counts.Length} distinct words, expected {expected.Counts.Length}";
        }

        for (int i = 0; i < expected.Counts.Length; i++)
        {
            if (expected.Counts[i] != actual.Counts[i])
            {
                return $"word {i}: {actual.Counts[i].Word}={actual.Counts[i].Count}, expected {expected.Counts[i].Word}={expected.Counts[i].Count}";
            }
        }

        return expected.TotalWords != actual.TotalWords || expected.Checksum != actual.Checksum
            ? $"totals differ: {actual.TotalWords} words (checksum {actual.Checksum:x16}), expected {expected.TotalWords} ({expected.Checksum:x16})"
            : null;
    }

    private static WordCount[] Sorted(Dictionary<string, long> counts) =>
        [.. counts.Select(pair => new WordCount(pair.Key, pair.Value)).OrderBy(entry => entry.Word, StringComparer.Ordinal)];

    private static ulong Checksum(WordCount[] sorted)
    {
        ulong hash = 14695981039346656037;
        foreach (WordCount entry in sorted)
        {
            foreach (char c in entry.Word)
            {
                hash = (hash ^ c) * 1099511628211;
            }

            hash = (hash ^ (ulong)entry.Count) * 1099511628211;
        }

        return hash;
    }
}
