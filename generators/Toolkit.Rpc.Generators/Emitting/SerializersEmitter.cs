using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Toolkit.Rpc.Generators.Model;
using static Toolkit.Rpc.Generators.KnownNames;

namespace Toolkit.Rpc.Generators.Emitting;

/// <summary>The Serializers file: Write_/Read_ methods for every type that needs them, and a registered serializer per object and union.</summary>
internal static class SerializersEmitter
{
    public static string Emit(IEnumerable<TypeModel> allTypes, string ns)
    {
        List<TypeModel> typeList = allTypes.ToList();
        Dictionary<string, TypeModel> types = typeList.ToDictionary(type => type.FullyQualifiedName, StringComparer.Ordinal);
        SourceWriter w = new();
        w.Line(GeneratedFiles.Header).Open("namespace " + ns);
        w.Line("/// <summary>Generated serializers for every type reachable from this assembly's gateways.</summary>");
        w.Line($"[{GeneratedCode}]");
        w.Open("internal static class Serializers");
        w.Open("internal static void RegisterAll()");
        foreach (TypeModel type in typeList.Where(IsRegistered))
        {
            w.Line($"{SerializerOf}<{type.FullyQualifiedName}>.Register(new {type.Identifier}_Serializer());");
        }

        w.Close();
        foreach (TypeModel type in typeList.Where(HasMethods))
        {
            w.Line();
            switch (type.Shape)
            {
                case TypeShape.Object:
                    ObjectEmitter.Methods(w, type, types);
                    break;
                case TypeShape.Union:
                    UnionEmitter.Methods(w, type, types);
                    break;
                case TypeShape.Collection:
                    CollectionEmitter.Methods(w, type, types);
                    break;
                case TypeShape.Dictionary:
                    DictionaryEmitter.Methods(w, type, types);
                    break;
                case TypeShape.NullableObject:
                    ObjectEmitter.NullableMethods(w, type, types);
                    break;
            }
        }

        foreach (TypeModel type in typeList.Where(IsRegistered))
        {
            w.Line();
            w.Open($"private sealed class {type.Identifier}_Serializer : {SerializerOf}<{type.FullyQualifiedName}>");
            if (type.FixedSize is int size)
            {
                w.Line($"public {type.Identifier}_Serializer()");
                w.Line($"    : base({size.ToString(CultureInfo.InvariantCulture)})");
                w.Line("{");
                w.Line("}");
                w.Line();
            }

            w.Line($"public override void Write(ref {Writer} writer, {type.FullyQualifiedName} value) => Write_{type.Identifier}(ref writer, value);");
            w.Line();
            w.Line($"public override {type.FullyQualifiedName} Read(ref {Reader} reader) => Read_{type.Identifier}(ref reader);");
            w.Close();
        }

        w.Close().Close();
        return w.ToString();
    }

    private static bool IsRegistered(TypeModel type) => type.Shape is TypeShape.Object or TypeShape.Union;

    // The other shapes are read and written by single calls on the reader and writer (see ValueCode).
    private static bool HasMethods(TypeModel type) =>
        type.Shape is TypeShape.Object or TypeShape.Union or TypeShape.Collection or TypeShape.Dictionary or TypeShape.NullableObject;
}
