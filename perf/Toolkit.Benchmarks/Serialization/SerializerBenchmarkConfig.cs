using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>Allocated bytes per operation, the ratio to the hand-written baseline of each category, and the encoded size.</summary>
public sealed class SerializerBenchmarkConfig : ManualConfig
{
    public SerializerBenchmarkConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, new EncodedSizeColumn());
    }
}
