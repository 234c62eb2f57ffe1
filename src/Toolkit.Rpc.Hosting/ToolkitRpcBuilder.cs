using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Toolkit.Rpc.Hosting;

/// <summary>Adds endpoints and gateway clients to the Toolkit RPC service that <see cref="ToolkitRpcServiceCollectionExtensions.AddToolkitRpc(IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/> registered.</summary>
public sealed class ToolkitRpcBuilder
{
    private readonly RpcEndpointRegistrations _endpoints;
    private readonly RpcRemoteRegistrations _remotes;

    internal ToolkitRpcBuilder(IServiceCollection services, RpcEndpointRegistrations endpoints, RpcRemoteRegistrations remotes)
    {
        Services = services;
        _endpoints = endpoints;
        _remotes = remotes;
    }

    /// <summary>The host's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Starts an endpoint of class <typeparamref name="TEndpoint"/> named <paramref name="name"/> when the host starts,
    /// made by dependency injection: its constructor's parameters are the host's services. Endpoints start in the order
    /// they are added and stop in reverse.
    /// </summary>
    public ToolkitRpcBuilder AddEndpoint<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TEndpoint>(string name)
        where TEndpoint : RpcEndpoint =>
        AddEndpoint(name, static services => ActivatorUtilities.CreateInstance<TEndpoint>(services));

    /// <summary>Starts the endpoint that <paramref name="create"/> makes, named <paramref name="name"/>, when the host starts.</summary>
    public ToolkitRpcBuilder AddEndpoint<TEndpoint>(string name, Func<IServiceProvider, TEndpoint> create)
        where TEndpoint : RpcEndpoint
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        if (_endpoints.All.Any(endpoint => endpoint.Name == name))
        {
            throw new ArgumentException($"An endpoint named '{name}' was added already; each endpoint of a service has a name of its own.", nameof(name));
        }

        _endpoints.All.Add(new RpcEndpointRegistration(name, typeof(TEndpoint), create));
        return this;
    }

    /// <summary>
    /// Makes <typeparamref name="TGateway"/> injectable as a gateway to the endpoint at <paramref name="address"/>
    /// (<c>rpc://host:port/endpointName</c>). Nothing connects until its first call; after a dropped connection the next
    /// call connects again (<see cref="RpcService.GetRemoteGateway{TGateway}"/>).
    /// </summary>
    public ToolkitRpcBuilder AddRemoteGateway<TGateway>(string address)
        where TGateway : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        return AddRemoteGateway<TGateway>(_ => address);
    }

    /// <summary>Makes <typeparamref name="TGateway"/> injectable as a gateway to the endpoint at the address <paramref name="address"/> gives (read from configuration, say).</summary>
    public ToolkitRpcBuilder AddRemoteGateway<TGateway>(Func<IServiceProvider, string> address)
        where TGateway : class
    {
        ArgumentNullException.ThrowIfNull(address);
        Services.AddSingleton(services => services.GetRequiredService<RpcService>().GetRemoteGateway<TGateway>(address(services)));
        _remotes.All.Add(new RpcRemoteRegistration(typeof(TGateway), address, static (service, at, cancellation) => service.ConnectAsync<TGateway>(at, cancellation)));
        return this;
    }
}
