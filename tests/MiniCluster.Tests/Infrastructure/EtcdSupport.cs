using Toolkit.HighAvailability.Tests.Infrastructure;

namespace MiniCluster.Tests.Infrastructure;

/// <summary>A test that needs etcd: reported as skipped, naming the package to install, where the etcd binary is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class EtcdFactAttribute : FactAttribute
{
    public EtcdFactAttribute()
    {
        if (EtcdServer.FindBinary() is null)
        {
            Skip = EtcdServer.MissingMessage;
        }
    }
}

/// <summary>The process tests run one at a time: they time failovers on a shared 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "processes";
}
