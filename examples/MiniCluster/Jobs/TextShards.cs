using System.Text;
using MiniCluster.Contracts;

namespace MiniCluster.Jobs;

/// <summary>
/// The job's input: text shards generated from a seed by the submitter, which uploads them as blobs of the job. Words
/// are made of syllables and drawn with a skew (a few common words, a long tail).
/// </summary>
public static class TextShards
{
    private static readonly string[] Syllables = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "fe", "du", "zo", "bi", "ga", "hu", "ve", "ly"];

    /// <summary>The <paramref name="index"/>th word of a vocabulary: <c>ka</c>, <c>lo</c>, … <c>loka</c>, …</summary>
    public static string Word(int index)
    {
        StringBuilder word = new();
        int rest = index + 1;
        while (rest > 0)
        {
            word.Insert(0, Syllables[rest % Syllables.Length]);
            rest /= Syllables.Length;
        }

        return word.ToString();
    }

    /// <summary>Shard <paramref name="shard"/> of <paramref name="job"/>: ASCII words separated by spaces and line breaks.</summary>
    public static byte[] Generate(JobSpec job, int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, job.Shards);
        byte[][] words = [.. Enumerable.Range(0, job.Vocabulary).Select(index => Encoding.ASCII.GetBytes(Word(index)))];
        byte[] text = new byte[job.ShardBytes];
        ulong state = Mix(((ulong)(uint)job.Seed << 32) ^ (ulong)(uint)shard ^ 0x9E3779B97F4A7C15UL);
        int length = 0;
        int inLine = 0;
        while (true)
        {
            state = Mix(state);
            double u = (state >> 11) * (1.0 / (1UL << 53));
            byte[] word = words[Math.Min(job.Vocabulary - 1, (int)(job.Vocabulary * u * u * u))];
            if (length + word.Length + 1 > text.Length)
            {
                break;
            }

            word.CopyTo(text.AsSpan(length));
            length += word.Length;
            text[length++] = ++inLine == 12 ? (byte)'\n' : (byte)' ';
            inLine %= 12;
        }

        return length == text.Length ? text : text[..length];
    }

    // splitmix64: a fast, well-mixed generator whose whole state is one number.
    private static ulong Mix(ulong state)
    {
        ulong z = state + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
