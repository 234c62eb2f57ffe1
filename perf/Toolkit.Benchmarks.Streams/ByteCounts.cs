namespace Toolkit.Benchmarks.Streams;

/// <summary>Reading to the end, as both the raw copy and the byte stream do on the receiving side.</summary>
internal static class ByteCounts
{
    public static async Task<long> DrainAsync(Stream stream)
    {
        byte[] buffer = new byte[1024 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }
}
