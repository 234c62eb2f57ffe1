using System.Globalization;
using System.Reflection;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>Finds the serializer benchmarks and measures their messages' encoded sizes, for the column and the startup table.</summary>
public static class EncodedSizes
{
    /// <summary>The implementation a benchmark method measures, from its name (e.g. <c>ToolkitEncode</c>), or null.</summary>
    public static Codec? CodecOf(MethodInfo method)
    {
        foreach (Codec codec in Enum.GetValues<Codec>())
        {
            if (method.Name.StartsWith(codec.ToString(), StringComparison.Ordinal))
            {
                return codec;
            }
        }

        return null;
    }

    /// <summary>The encoded size measured by <paramref name="method"/> of <paramref name="benchmarkType"/>, or null when it measures none.</summary>
    public static int? Of(Type benchmarkType, MethodInfo method) =>
        CodecOf(method) is { } codec && Activator.CreateInstance(benchmarkType) is IEncodedSizeSource source ? source.EncodedSize(codec) : null;

    /// <summary>Writes one line per message with its size under each implementation.</summary>
    public static void Print(TextWriter output)
    {
        Type[] benchmarks = [.. typeof(EncodedSizes).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(IEncodedSizeSource).IsAssignableFrom(type))
            .OrderBy(type => type.Name, StringComparer.Ordinal)];
        output.WriteLine("Encoded sizes (bytes) of the messages-5 workload:");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"Message",-14}{"Toolkit",10}{"HandWritten",13}{"Json",10}"));
        foreach (Type type in benchmarks)
        {
            IEncodedSizeSource source = (IEncodedSizeSource)Activator.CreateInstance(type)!;
            string message = type.Name.Replace("SerializerBenchmarks", string.Empty, StringComparison.Ordinal);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {message,-14}{source.EncodedSize(Codec.Toolkit),10}{source.EncodedSize(Codec.HandWritten),13}{source.EncodedSize(Codec.Json),10}"));
        }

        output.WriteLine();
    }
}
