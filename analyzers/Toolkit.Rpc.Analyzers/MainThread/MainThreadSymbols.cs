using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers;

/// <summary>
/// The types the main-thread rules look for, resolved once per compilation. <see cref="Create"/> returns null when the
/// compilation does not reference Toolkit.Rpc, so the rules cost nothing in projects without endpoints.
/// </summary>
internal sealed class MainThreadSymbols
{
    private MainThreadSymbols(Compilation compilation, INamedTypeSymbol endpoint, INamedTypeSymbol gatewayAttribute)
    {
        Endpoint = endpoint;
        GatewayAttribute = gatewayAttribute;
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        TaskScheduler = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskScheduler");
    }

    public INamedTypeSymbol Endpoint { get; }

    public INamedTypeSymbol GatewayAttribute { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? TaskScheduler { get; }

    public static MainThreadSymbols? Create(Compilation compilation) =>
        compilation.GetTypeByMetadataName(KnownNames.Endpoint) is { } endpoint
        && compilation.GetTypeByMetadataName(KnownNames.GatewayAttribute) is { } gatewayAttribute
            ? new MainThreadSymbols(compilation, endpoint, gatewayAttribute)
            : null;

    /// <summary>Whether <paramref name="type"/> is a user endpoint class: it derives from RpcEndpoint (and is not RpcEndpoint).</summary>
    public bool IsEndpoint(ITypeSymbol? type)
    {
        for (INamedTypeSymbol? current = type?.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, Endpoint))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The endpoint class whose code <paramref name="containingSymbol"/> (a member, or a lambda inside one) is, or null.</summary>
    public INamedTypeSymbol? EndpointContaining(ISymbol? containingSymbol)
    {
        INamedTypeSymbol? type = containingSymbol as INamedTypeSymbol ?? containingSymbol?.ContainingType;
        return IsEndpoint(type) ? type : null;
    }

    /// <summary>Whether <paramref name="type"/> is an interface marked [RpcGateway], or extends one.</summary>
    public bool IsGateway(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Interface } named)
        {
            return false;
        }

        if (HasGatewayAttribute(named))
        {
            return true;
        }

        foreach (INamedTypeSymbol inherited in named.AllInterfaces)
        {
            if (HasGatewayAttribute(inherited))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="invocation"/> calls a gateway method: on an [RpcGateway] interface, or through one.</summary>
    public bool IsGatewayCall(IInvocationOperation invocation) =>
        IsGateway(invocation.TargetMethod.ContainingType) || IsGateway(invocation.Instance?.Type);

    /// <summary>Whether <paramref name="type"/> is Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
    public bool IsTaskType(ITypeSymbol? type)
    {
        ITypeSymbol? definition = type?.OriginalDefinition;
        return definition is not null
            && (SymbolEqualityComparer.Default.Equals(definition, Task)
                || SymbolEqualityComparer.Default.Equals(definition, TaskOfT)
                || SymbolEqualityComparer.Default.Equals(definition, ValueTask)
                || SymbolEqualityComparer.Default.Equals(definition, ValueTaskOfT));
    }

    /// <summary>
    /// Whether <paramref name="member"/>, reached through <paramref name="instance"/>, is state of the endpoint whose code
    /// this is: an instance field, property, event or method declared in <paramref name="endpoint"/> or one of its bases
    /// below RpcEndpoint, reached through <c>this</c> (explicitly or implicitly). RpcEndpoint's own members are made to be
    /// used from any thread and do not count.
    /// </summary>
    public bool IsEndpointState(ISymbol member, IOperation? instance, INamedTypeSymbol endpoint)
    {
        if (member.IsStatic
            || member is IMethodSymbol { MethodKind: not MethodKind.Ordinary }
            || instance is not IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
        {
            return false;
        }

        INamedTypeSymbol? declaring = member.ContainingType?.OriginalDefinition;
        if (declaring is null || SymbolEqualityComparer.Default.Equals(declaring, Endpoint))
        {
            return false;
        }

        for (INamedTypeSymbol? current = endpoint; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, declaring))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="operation"/> reads the endpoint's <c>MainThreadScheduler</c>.</summary>
    public bool IsMainThreadScheduler(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation is IPropertyReferenceOperation { Property.Name: "MainThreadScheduler" } reference
            && SymbolEqualityComparer.Default.Equals(reference.Property.ContainingType?.OriginalDefinition, Endpoint);
    }

    private bool HasGatewayAttribute(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, GatewayAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
