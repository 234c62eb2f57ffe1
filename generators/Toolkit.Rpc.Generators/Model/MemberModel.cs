namespace Toolkit.Rpc.Generators.Model;

/// <summary>A member of an object, in wire order.</summary>
internal sealed record MemberModel
{
    /// <summary>The property or field, as generated code uses it: <c>@</c> before a keyword.</summary>
    public required string Name { get; init; }

    /// <summary>The key of its type.</summary>
    public required string Type { get; init; }

    /// <summary>Its position among the constructor's parameters, or -1 when it is set by an initializer or computed.</summary>
    public required int ConstructorPosition { get; init; }

    /// <summary>Neither settable nor a constructor parameter: written from its getter, skipped when read.</summary>
    public bool IsComputed { get; init; }
}
