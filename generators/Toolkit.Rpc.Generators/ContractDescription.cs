using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators;

/// <summary>
/// A gateway's contract as readable lines, one per method and one per reachable type, so that two processes whose
/// contracts differ can say how (<c>RpcContract.Compare</c> diffs them at run time). Each line starts with a key,
/// <c>method Name</c> followed by '(' or <c>type FullName</c> followed by ':', and says everything that shapes the
/// wire: arguments and result in order, members in wire order with their types, union tags, element and key types.
/// The fingerprint is the hash of exactly these lines, so equal fingerprints mean equal descriptions.
/// </summary>
internal static class ContractDescription
{
    /// <summary>The lines: methods by name then id, then types by full name, both ordinal.</summary>
    public static EquatableArray<string> Lines(IEnumerable<MethodModel> methods, IEnumerable<TypeModel> types) =>
        methods
            .OrderBy(method => method.Name, StringComparer.Ordinal)
            .ThenBy(method => method.Id)
            .Select(Method)
            .Concat(types
                .Select(type => (Name: Readable(type.FullyQualifiedName), Type: type))
                .OrderBy(pair => pair.Name, StringComparer.Ordinal)
                .Select(pair => $"type {pair.Name}: {Shape(pair.Type)}"))
            .ToEquatableArray();

    /// <summary>The hash of <paramref name="lines"/> joined with '\n'.</summary>
    public static string Fingerprint(EquatableArray<string> lines) => StableHash.Of64Hex(string.Join("\n", lines));

    // Only arguments travel: the [RpcTimeout] TimeSpan and the CancellationToken stay with the caller.
    private static string Method(MethodModel method)
    {
        string arguments = string.Join(", ", method.Parameters.Where(p => p.Role == ParameterRole.Argument).Select(p => Readable(p.Type)));
        string result = method.ReturnKind switch
        {
            ReturnKind.Void => "void (one-way)",
            ReturnKind.Task or ReturnKind.ValueTask => "void",
            ReturnKind.Stream => "stream of " + Readable(method.ResultType ?? ""),
            _ => Readable(method.ResultType ?? ""),
        };
        string faults = method.Faults.Count == 0 ? "" : " throws " + string.Join(", ", method.Faults.Select(Readable));
        return $"method {method.Name}({arguments}) -> {result}{faults}";
    }

    private static string Shape(TypeModel type) => type.Shape switch
    {
        TypeShape.Unmanaged when type.EnumMembers is { } members => $"enum of {RawBytes(type.MinimumSize)} {Braces(members)}",
        TypeShape.Unmanaged => RawBytes(type.MinimumSize),
        TypeShape.DateTimeOffset => "offset minutes and utc ticks",
        TypeShape.String => "utf-8 string",
        TypeShape.NullableUnmanaged or TypeShape.NullableDateTimeOffset or TypeShape.NullableObject => $"nullable {Readable(type.ElementType ?? "")}",
        TypeShape.Object => (type.IsValueType ? "struct " : "object ") + Braces(type.Members.Select(Member)),
        TypeShape.Union => "union " + Braces(type.Cases.Select(Case)),
        TypeShape.UnmanagedArray => $"block array of {Readable(type.ElementType ?? "")}",
        TypeShape.Collection => $"collection of {Readable(type.ElementType ?? "")}",
        TypeShape.Dictionary => $"dictionary of {Readable(type.KeyType ?? "")} to {Readable(type.ElementType ?? "")}",
        TypeShape.Bytes => "bytes",
        TypeShape.Gateway => "gateway reference",
        TypeShape.ByteStream or TypeShape.PipeReader => "byte stream token",
        _ => type.Shape.ToString(),
    };

    private static string RawBytes(int size) => size == 1 ? "1 raw byte" : $"{size.ToString(CultureInfo.InvariantCulture)} raw bytes";

    private static string Braces(IEnumerable<string> items)
    {
        string joined = string.Join(", ", items);
        return joined.Length == 0 ? "{ }" : $"{{ {joined} }}";
    }

    private static string Member(MemberModel member) => $"{member.Name.TrimStart('@')}: {Readable(member.Type)}";

    private static string Case(UnionCaseModel unionCase) => $"{unionCase.Tag.ToString(CultureInfo.InvariantCulture)}: {Readable(unionCase.Type)}";

    /// <summary>
    /// How contracts name a type: its key without <c>global::</c>, which is noise to a reader and holds the ':' that
    /// ends a line's key. Generated readers pass this name when they skip members by the peer's contract.
    /// </summary>
    public static string Readable(string typeKey) => typeKey.Replace("global::", "");
}
