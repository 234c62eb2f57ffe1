using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Toolkit.Rpc.Generators.Model;
using static Toolkit.Rpc.Generators.KnownNames;

namespace Toolkit.Rpc.Generators.Emitting;

/// <summary>Write_/Read_ methods of unions: a tag, then the case as an object.</summary>
internal static class UnionEmitter
{
    public static void Methods(SourceWriter w, TypeModel type, Dictionary<string, TypeModel> types)
    {
        string t = type.FullyQualifiedName;
        w.Open($"internal static void Write_{type.Identifier}(ref {Writer} writer, {t} value)");
        w.Open("if (value is null)").Line("writer.WriteNullObject();").Line("return;").Close().Line();
        w.Open("switch (value)");
        int index = 0;
        // Deeper cases first: a case deriving from another case must be matched before its base.
        foreach (UnionCaseModel unionCase in type.Cases.OrderByDescending(c => c.Depth).ThenBy(c => c.Tag))
        {
            TypeModel caseType = types[unionCase.Type];
            w.Line($"case {caseType.FullyQualifiedName} case{index}:");
            w.Line($"    writer.WriteUnionHeader({unionCase.Tag.ToString(CultureInfo.InvariantCulture)});");
            w.Line($"    Write_{caseType.Identifier}(ref writer, case{index});");
            w.Line("    return;");
            index++;
        }

        w.Close();
        w.Line();
        w.Line($"{ThrowHelper}.ThrowUnknownUnionCase(\"{Literals.Escape(type.DisplayName)}\", value.GetType());");
        w.Close();
        w.Line();
        w.Open($"internal static {t} Read_{type.Identifier}(ref {Reader} reader)");
        w.Open("if (!reader.TryReadUnionHeader(out ushort tag))").Line("return null;").Close().Line();
        w.Open("switch (tag)");
        foreach (UnionCaseModel unionCase in type.Cases)
        {
            TypeModel caseType = types[unionCase.Type];
            w.Line($"case {unionCase.Tag.ToString(CultureInfo.InvariantCulture)}:");
            // A tag promises a case: a null object after it is malformed, not a null union.
            w.Line(caseType.IsValueType
                ? $"    return Read_{caseType.Identifier}(ref reader);"
                : $"    return Read_{caseType.Identifier}(ref reader) ?? throw new {SerializationException}(\"Malformed data: union {Literals.Escape(type.DisplayName)} has tag {unionCase.Tag.ToString(CultureInfo.InvariantCulture)} followed by null.\");");
        }

        w.Line("default:");
        w.Line($"    {ThrowHelper}.ThrowUnknownUnionTag(\"{Literals.Escape(type.DisplayName)}\", tag);");
        w.Line("    return null;");
        w.Close();
        w.Close();
    }
}
