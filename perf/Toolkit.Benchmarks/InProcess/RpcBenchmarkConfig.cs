using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace Toolkit.Benchmarks.InProcess;

/// <summary>Per-call time and its median, calls per second (the targets are stated in it), and allocated bytes per call.</summary>
public sealed class RpcBenchmarkConfig : ManualConfig
{
    public RpcBenchmarkConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.OperationsPerSecond);
    }
}
