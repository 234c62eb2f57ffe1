using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>A summary column with the bytes one message encodes to under the row's implementation.</summary>
public sealed class EncodedSizeColumn : IColumn
{
    public string Id => nameof(EncodedSizeColumn);

    public string ColumnName => "Encoded";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Bytes one message encodes to with this row's implementation";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        EncodedSizes.Of(benchmarkCase.Descriptor.Type, benchmarkCase.Descriptor.WorkloadMethod) is { } size
            ? size.ToString("N0", CultureInfo.InvariantCulture) + " B"
            : "-";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public override string ToString() => ColumnName;
}
