namespace Toolkit.HighAvailability.Tests.Infrastructure;

/// <summary>A test that needs etcd: reported as skipped, with how to enable it, where the etcd binary is missing.</summary>
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
