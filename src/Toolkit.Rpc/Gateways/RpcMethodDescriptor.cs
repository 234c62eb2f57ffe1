using System.ComponentModel;
using System.Diagnostics;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>A gateway method as the runtime sees it: its stable id, kind and timeout.</summary>
[DebuggerDisplay("{Gateway.ShortName,nq}.{Name,nq} (0x{Id:X8})")]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RpcMethodDescriptor
{
    private RpcGatewayDescriptor? _gateway;

    /// <summary>The name of the method's spans, <c>{gateway}/{method}</c>, made on first use.</summary>
    internal string? SpanName;

    /// <summary>Creates the descriptor; generated code calls this.</summary>
    /// <param name="name">The method's name.</param>
    /// <param name="id">The stable id: a hash of the name and parameter types, unchanged by reordering methods.</param>
    /// <param name="kind">Ask or tell.</param>
    /// <param name="timeout">The method's own default timeout from <see cref="RpcTimeoutAttribute"/>, if any.</param>
    /// <param name="hasTimeoutParameter">Whether a <c>[RpcTimeout] TimeSpan</c> parameter sets each call's timeout.</param>
    /// <param name="hasCancellation">Whether the method takes a <see cref="CancellationToken"/>.</param>
    /// <param name="faults">The exception types the method declares with <see cref="RpcFaultAttribute"/>, in declaration order.</param>
    /// <param name="isFenced">Whether calls carry the leader epoch and run only in it (see <see cref="RpcFencedAttribute"/>).</param>
    public RpcMethodDescriptor(string name, int id, RpcMethodKind kind, TimeSpan? timeout, bool hasTimeoutParameter, bool hasCancellation, RpcFault[]? faults = null, bool isFenced = false)
    {
        Faults = faults ?? [];
        Name = name;
        Id = id;
        Kind = kind;
        Timeout = timeout;
        HasTimeoutParameter = hasTimeoutParameter;
        HasCancellation = hasCancellation;
        IsFenced = isFenced;
    }

    /// <summary>The gateway that declares the method.</summary>
    public RpcGatewayDescriptor Gateway => _gateway ?? throw new InvalidOperationException($"Method {Name} belongs to no gateway yet.");

    /// <summary>The method's name.</summary>
    public string Name { get; }

    /// <summary>The stable method id.</summary>
    public int Id { get; }

    /// <summary>Ask or tell.</summary>
    public RpcMethodKind Kind { get; }

    /// <summary>The method's own default timeout, if it declares one.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Whether a parameter sets each call's timeout.</summary>
    public bool HasTimeoutParameter { get; }

    /// <summary>Whether the method takes a <see cref="CancellationToken"/>.</summary>
    public bool HasCancellation { get; }

    /// <summary>Whether the method's gateway is <see cref="RpcFencedAttribute"/> and the method not <see cref="RpcUnfencedAttribute"/>.</summary>
    public bool IsFenced { get; }

    /// <summary>The exception types the method declares: thrown by the endpoint, they reach the caller as themselves.</summary>
    public IReadOnlyList<RpcFault> Faults { get; }

    /// <summary>The declared fault that <paramref name="exception"/> is: of its exact type, else of the first declared base type.</summary>
    internal RpcFault? FindFault(Exception exception)
    {
        if (Faults.Count == 0)
        {
            return null;
        }

        Type type = exception.GetType();
        foreach (RpcFault fault in Faults)
        {
            if (fault.ExceptionType == type)
            {
                return fault;
            }
        }

        foreach (RpcFault fault in Faults)
        {
            if (fault.ExceptionType.IsInstanceOfType(exception))
            {
                return fault;
            }
        }

        return null;
    }

    /// <summary>The declared fault named <paramref name="name"/> on the wire, or null.</summary>
    internal RpcFault? FindFault(string name)
    {
        foreach (RpcFault fault in Faults)
        {
            if (fault.Name == name)
            {
                return fault;
            }
        }

        return null;
    }

    internal void Attach(RpcGatewayDescriptor gateway)
    {
        if (_gateway is not null && !ReferenceEquals(_gateway, gateway))
        {
            throw new InvalidOperationException($"Method {Name} already belongs to {_gateway.Name}.");
        }

        _gateway = gateway;
    }
}
