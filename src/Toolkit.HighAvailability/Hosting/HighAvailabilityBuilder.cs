using Toolkit.HighAvailability.Embedded;
using Toolkit.HighAvailability.Standalone;

namespace Toolkit.HighAvailability;

/// <summary>Chooses the HA provider in <c>AddHighAvailability</c>; the embedded one unless another is chosen.</summary>
public sealed class HighAvailabilityBuilder
{
    internal Func<IServiceProvider, IHighAvailabilityServices> Factory { get; private set; } = static _ => new EmbeddedHighAvailabilityServices();

    /// <summary>Elects within this process only (the default).</summary>
    public HighAvailabilityBuilder UseEmbedded() => Use(static _ => new EmbeddedHighAvailabilityServices());

    /// <summary>No election: each component leads at its fixed address (<c>rpc://host:port/name</c>).</summary>
    public HighAvailabilityBuilder UseStandalone(IReadOnlyDictionary<string, string> leaderAddresses)
    {
        ArgumentNullException.ThrowIfNull(leaderAddresses);
        StandaloneHighAvailabilityServices services = new(leaderAddresses);
        return Use(_ => services);
    }

    /// <summary>A provider of the caller's (providers in other packages add their <c>UseX</c> through this).</summary>
    public HighAvailabilityBuilder Use(Func<IServiceProvider, IHighAvailabilityServices> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Factory = factory;
        return this;
    }
}
