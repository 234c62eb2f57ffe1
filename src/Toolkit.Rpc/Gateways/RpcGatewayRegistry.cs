using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// The gateways and endpoint dispatch tables of every loaded assembly, filled by generated module initializers
/// so that the runtime finds them without reflection.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RpcGatewayRegistry
{
    private static readonly ConcurrentDictionary<Type, RpcGatewayDescriptor> ByType = new();
    private static readonly ConcurrentDictionary<string, RpcGatewayDescriptor> ByName = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Type, RpcGatewayDescriptor[]> EndpointGateways = new();

    /// <summary>Registers a gateway; generated code calls this at module load.</summary>
    public static void Register<TGateway>(RpcGatewayDescriptor descriptor)
        where TGateway : class
    {
        if (descriptor.GatewayType != typeof(TGateway))
        {
            throw new ArgumentException($"Descriptor for {descriptor.Name} registered as {typeof(TGateway).FullName}.", nameof(descriptor));
        }

        if (ByType.TryAdd(typeof(TGateway), descriptor))
        {
            ByName.TryAdd(descriptor.Name, descriptor);
            Cache<TGateway>.Descriptor = descriptor;
        }
    }

    /// <summary>Every gateway registered so far.</summary>
    internal static IReadOnlyList<RpcGatewayDescriptor> All => [.. ByType.Values];

    /// <summary>Returns the descriptor of the gateway named <paramref name="name"/> (the first registered under it), or null.</summary>
    public static RpcGatewayDescriptor? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Registers the gateways an endpoint class implements (its dispatch table); generated code calls this.</summary>
    public static void RegisterEndpoint(Type endpointType, RpcGatewayDescriptor[] gateways) => EndpointGateways.TryAdd(endpointType, gateways);

    /// <summary>Returns the descriptor of <typeparamref name="TGateway"/>, or throws saying why there is none.</summary>
    public static RpcGatewayDescriptor Get<TGateway>()
        where TGateway : class
    {
        if (Cache<TGateway>.Descriptor is { } descriptor)
        {
            return descriptor;
        }

        // The declaring module's initializer registers it; it has not run if only the interface type was touched.
        RuntimeHelpers.RunModuleConstructor(typeof(TGateway).Module.ModuleHandle);
        return Cache<TGateway>.Descriptor ?? throw new RpcException(typeof(TGateway).IsInterface
            ? $"{typeof(TGateway).FullName} has no generated gateway code: mark it [RpcGateway] and build its project with the Toolkit generator."
            : $"{typeof(TGateway).FullName} is not a gateway: gateways are interfaces marked [RpcGateway].");
    }

    /// <summary>
    /// Returns the gateways <paramref name="endpoint"/> implements: its generated dispatch table, or, for an
    /// endpoint class compiled without the generator, every registered gateway it implements.
    /// </summary>
    public static RpcGatewayDescriptor[] GatewaysOf(object endpoint)
    {
        Type type = endpoint.GetType();
        if (EndpointGateways.TryGetValue(type, out RpcGatewayDescriptor[]? gateways))
        {
            return gateways;
        }

        RuntimeHelpers.RunModuleConstructor(type.Module.ModuleHandle);
        if (EndpointGateways.TryGetValue(type, out gateways))
        {
            return gateways;
        }

        return ByType.Values.Where(descriptor => descriptor.IsImplementedBy(endpoint)).ToArray();
    }

    private static class Cache<TGateway>
        where TGateway : class
    {
        public static RpcGatewayDescriptor? Descriptor;
    }
}
