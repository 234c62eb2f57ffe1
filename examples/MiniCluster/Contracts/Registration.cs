using Toolkit.Rpc;

namespace MiniCluster.Contracts;

/// <summary>A task executor introducing itself to the resource manager.</summary>
/// <param name="ExecutorId">The executor's resource id, stable across its re-registrations.</param>
/// <param name="Slots">How many tasks it runs at once.</param>
/// <param name="Address">Its service's address, or null in client mode (then it is called back over its own connection).</param>
/// <param name="Self">Its gateway: the resource manager and job masters call it through this.</param>
public sealed record TaskExecutorRegistration(string ExecutorId, int Slots, string? Address, ITaskExecutorGateway Self);

/// <summary>The resource manager's answer to a registration.</summary>
[RpcUnion(0, typeof(RegistrationAccepted))]
[RpcUnion(1, typeof(RegistrationDeclined))]
public abstract record RegistrationResponse;

/// <summary>Registered with the resource manager of <paramref name="Epoch"/>; heartbeats follow.</summary>
public sealed record RegistrationAccepted(string ResourceManagerId, long Epoch) : RegistrationResponse;

/// <summary>Not registered, and why.</summary>
public sealed record RegistrationDeclined(string Reason) : RegistrationResponse;
