using System.Collections.Frozen;
using System.ComponentModel;
using System.Diagnostics;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// Everything the runtime knows of a gateway, emitted by the generator: its methods and their handlers
/// (the dispatch table), a proxy factory and a type test, so that nothing is found by reflection.
/// </summary>
[DebuggerDisplay("{Name,nq} ({Methods.Count} methods)")]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RpcGatewayDescriptor
{
    private readonly Func<RpcTarget, object> _createProxy;
    private readonly Func<object, bool> _isImplementedBy;
    private readonly FrozenDictionary<int, RpcMethodHandler> _handlers;

    /// <summary>Creates the descriptor; generated code calls this.</summary>
    /// <param name="gatewayType">The interface.</param>
    /// <param name="name">The interface's full name, used on the wire.</param>
    /// <param name="id">A stable hash of <paramref name="name"/>.</param>
    /// <param name="fingerprint">A hash of <paramref name="contract"/>; differs when the contract does.</param>
    /// <param name="contract">The contract as readable lines, one per method and per reachable type (see <see cref="Contract"/>).</param>
    /// <param name="handlers">One handler per method.</param>
    /// <param name="createProxy">Creates the generated proxy over a target.</param>
    /// <param name="isImplementedBy">Tests whether an object implements the interface.</param>
    public RpcGatewayDescriptor(
        Type gatewayType,
        string name,
        int id,
        string fingerprint,
        string[] contract,
        RpcMethodHandler[] handlers,
        Func<RpcTarget, object> createProxy,
        Func<object, bool> isImplementedBy)
    {
        GatewayType = gatewayType;
        Name = name;
        ShortName = gatewayType.Name;
        Id = id;
        Fingerprint = fingerprint;
        Contract = Array.AsReadOnly(contract);
        _createProxy = createProxy;
        _isImplementedBy = isImplementedBy;
        Dictionary<int, RpcMethodHandler> byId = new(handlers.Length);
        RpcMethodDescriptor[] methods = new RpcMethodDescriptor[handlers.Length];
        for (int i = 0; i < handlers.Length; i++)
        {
            RpcMethodHandler handler = handlers[i];
            if (!byId.TryAdd(handler.Method.Id, handler))
            {
                throw new ArgumentException(
                    $"Gateway {name}: methods {byId[handler.Method.Id].Method.Name} and {handler.Method.Name} share the id 0x{handler.Method.Id:X8}.",
                    nameof(handlers));
            }

            handler.Method.Attach(this);
            methods[i] = handler.Method;
        }

        _handlers = byId.ToFrozenDictionary();
        Methods = methods;
    }

    /// <summary>The gateway interface.</summary>
    public Type GatewayType { get; }

    /// <summary>The interface's full name.</summary>
    public string Name { get; }

    /// <summary>The interface's simple name, for messages.</summary>
    public string ShortName { get; }

    /// <summary>A stable hash of <see cref="Name"/>.</summary>
    public int Id { get; }

    /// <summary>A hash of <see cref="Contract"/>: equal fingerprints mean equal contracts.</summary>
    public string Fingerprint { get; }

    /// <summary>
    /// The contract as readable lines: one per method (<c>method Name(argument types) -&gt; result</c>), then one per
    /// type its arguments and results reach (<c>type FullName: shape</c>, members in wire order), each sorted by name.
    /// Each line starts with a key (<c>method Name</c> or <c>type FullName</c>) ended by '(' or ':', by which
    /// two processes compare them (<c>RpcContract.Check</c>) to tell compatible versions from incompatible ones.
    /// </summary>
    public IReadOnlyList<string> Contract { get; }

    /// <summary>The methods in declaration order.</summary>
    public IReadOnlyList<RpcMethodDescriptor> Methods { get; }

    /// <summary>The handler for <paramref name="methodId"/>, or null.</summary>
    public RpcMethodHandler? FindHandler(int methodId) => _handlers.GetValueOrDefault(methodId);

    /// <summary>Whether <paramref name="instance"/> implements the gateway.</summary>
    public bool IsImplementedBy(object instance) => _isImplementedBy(instance);

    /// <summary>Creates a proxy that sends calls to <paramref name="target"/>.</summary>
    public object CreateProxy(RpcTarget target) => _createProxy(target);
}
