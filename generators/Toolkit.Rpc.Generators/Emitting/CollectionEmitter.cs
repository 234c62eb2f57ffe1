using System.Collections.Generic;
using System.Globalization;
using Toolkit.Rpc.Generators.Model;
using static Toolkit.Rpc.Generators.KnownNames;

namespace Toolkit.Rpc.Generators.Emitting;

/// <summary>Write_/Read_ methods of arrays, lists and sets: a length, then the elements (or one block of raw values).</summary>
internal static class CollectionEmitter
{
    public static void Methods(SourceWriter w, TypeModel type, Dictionary<string, TypeModel> types)
    {
        string t = type.FullyQualifiedName;
        string element = type.ElementType!;
        TypeModel elementModel = types[element];
        bool blockCopy = type.Collection == CollectionKind.List && elementModel.IsBlockCopyable;
        w.Open($"internal static void Write_{type.Identifier}(ref {Writer} writer, {t} value)");
        w.Open("if (value is null)").Line("writer.WriteNullCollection();").Line("return;").Close().Line();
        switch (type.Collection)
        {
            case CollectionKind.Array:
                w.Line("writer.WriteCollectionHeader(value.Length);");
                w.Open("foreach (" + element + " item in value)");
                ValueCode.Write(w, element, "item", types);
                w.Close();
                break;
            case CollectionKind.List when blockCopy:
                w.Line($"writer.WriteUnmanagedSpan<{element}>({CollectionsMarshal}.AsSpan(value));");
                break;
            case CollectionKind.List:
                w.Line($"global::System.Span<{element}> items = {CollectionsMarshal}.AsSpan(value);");
                w.Line("writer.WriteCollectionHeader(items.Length);");
                w.Open($"foreach ({element} item in items)");
                ValueCode.Write(w, element, "item", types);
                w.Close();
                break;
            default:
                w.Line("int count = value.Count;");
                w.Line("writer.WriteCollectionHeader(count);");
                w.Line("int written = 0;");
                w.Open($"foreach ({element} item in value)");
                ValueCode.Write(w, element, "item", types);
                w.Line("written++;");
                w.Close();
                w.Open("if (written != count)");
                w.Line($"throw new global::System.InvalidOperationException(\"{Literals.Escape(type.DisplayName)} changed while it was written: Count said \" + count + \", enumeration gave \" + written + \".\");");
                w.Close();
                break;
        }

        w.Close();
        w.Line();
        w.Open($"internal static {t} Read_{type.Identifier}(ref {Reader} reader)");
        if (blockCopy)
        {
            w.Line($"return reader.ReadUnmanagedList<{element}>();");
            w.Close();
            return;
        }

        w.Open($"if (!reader.TryReadCollectionHeader(out int length, {elementModel.MinimumSize.ToString(CultureInfo.InvariantCulture)}))").Line("return null;").Close().Line();
        string concrete = type.Collection switch
        {
            CollectionKind.Array => NewArray(element, "length"),
            CollectionKind.HashSet => $"new global::System.Collections.Generic.HashSet<{element}>(length)",
            _ => $"new global::System.Collections.Generic.List<{element}>(length)",
        };
        w.Line($"var result = {concrete};");
        w.Open("for (int i = 0; i < length; i++)");
        if (type.Collection == CollectionKind.Array)
        {
            w.Line($"result[i] = {ValueCode.Read(element, types)};");
        }
        else if (type.Collection == CollectionKind.HashSet)
        {
            w.Open($"if (!result.Add({ValueCode.Read(element, types)}))").Line($"{ThrowHelper}.ThrowMalformed(\"an element of {Literals.Escape(type.DisplayName)} appears twice\");").Close();
        }
        else
        {
            w.Line($"result.Add({ValueCode.Read(element, types)});");
        }

        w.Close();
        w.Line("return result;");
        w.Close();
    }

    // "int[]" as an element: new int[length][] — the new dimension goes before the element's own brackets.
    private static string NewArray(string element, string length)
    {
        int brackets = element.IndexOf('[');
        return brackets < 0
            ? $"new {element}[{length}]"
            : $"new {element.Substring(0, brackets)}[{length}]{element.Substring(brackets)}";
    }
}
