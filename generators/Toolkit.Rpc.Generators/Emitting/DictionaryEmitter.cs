using System.Collections.Generic;
using System.Globalization;
using Toolkit.Rpc.Generators.Model;
using static Toolkit.Rpc.Generators.KnownNames;

namespace Toolkit.Rpc.Generators.Emitting;

/// <summary>Write_/Read_ methods of dictionaries: a length, then key and value per entry, raw pairs as MemoryPack lays them out.</summary>
internal static class DictionaryEmitter
{
    public static void Methods(SourceWriter w, TypeModel type, Dictionary<string, TypeModel> types)
    {
        string t = type.FullyQualifiedName;
        string key = type.KeyType!;
        string value = type.ElementType!;
        // Entries of two raw types are KeyValuePair's memory layout, padding included, as MemoryPack copies them.
        RawEntryLayout? rawPair = type.RawEntry;
        w.Open($"internal static void Write_{type.Identifier}(ref {Writer} writer, {t} value)");
        w.Open("if (value is null)").Line("writer.WriteNullCollection();").Line("return;").Close().Line();
        w.Line("writer.WriteCollectionHeader(value.Count);");
        w.Open($"foreach (global::System.Collections.Generic.KeyValuePair<{key}, {value}> entry in value)");
        if (rawPair is not null)
        {
            WriteRawPair(w, types[key], types[value], rawPair, types);
        }
        else
        {
            ValueCode.Write(w, key, "entry.Key", types);
            ValueCode.Write(w, value, "entry.Value", types);
        }

        w.Close();
        w.Close();
        w.Line();
        int minimum = rawPair?.Size ?? types[key].MinimumSize + types[value].MinimumSize;
        w.Open($"internal static {t} Read_{type.Identifier}(ref {Reader} reader)");
        w.Open($"if (!reader.TryReadCollectionHeader(out int length, {minimum.ToString(CultureInfo.InvariantCulture)}))").Line("return null;").Close().Line();
        w.Line($"var result = new global::System.Collections.Generic.Dictionary<{key}, {value}>(length);");
        w.Open("for (int i = 0; i < length; i++)");
        if (rawPair is not null)
        {
            ReadRawPair(w, types[key], types[value], rawPair, types);
            w.Open("if (!result.TryAdd(key, value))").Line($"{ThrowHelper}.ThrowMalformed(\"a key of {Literals.Escape(type.DisplayName)} appears twice\");").Close();
            w.Close();
            w.Line("return result;");
            w.Close();
            return;
        }

        w.Line($"{key} key = {ValueCode.Read(key, types)};");
        if (!types[key].IsValueType)
        {
            w.Open("if (key is null)").Line($"{ThrowHelper}.ThrowMalformed(\"a key of {Literals.Escape(type.DisplayName)} is null\");").Close();
        }

        w.Open($"if (!result.TryAdd(key, {ValueCode.Read(value, types)}))").Line($"{ThrowHelper}.ThrowMalformed(\"a key of {Literals.Escape(type.DisplayName)} appears twice\");").Close();
        w.Close();
        w.Line("return result;");
        w.Close();
    }

    private static void WriteRawPair(SourceWriter w, TypeModel key, TypeModel value, RawEntryLayout layout, Dictionary<string, TypeModel> types)
    {
        List<string> group = new();
        void Part(string expression)
        {
            if (group.Count == RawGroup.MaxValues)
            {
                RawGroup.FlushWrites(w, group);
            }

            group.Add(expression);
        }

        void Value(TypeModel part, string expression)
        {
            switch (part.Shape)
            {
                case TypeShape.Unmanaged:
                    Part(expression);
                    break;
                case TypeShape.DateTimeOffset:
                    Part($"{expression}.TotalOffsetMinutes");
                    Part("0");
                    Part($"{expression}.UtcTicks");
                    break;
                default:
                    RawGroup.FlushWrites(w, group);
                    ValueCode.Write(w, part.FullyQualifiedName, expression, types);
                    break;
            }
        }

        Value(key, "entry.Key");
        foreach ((string zero, _) in RawGroup.Padding(layout.KeyPadding))
        {
            Part(zero);
        }

        Value(value, "entry.Value");
        foreach ((string zero, _) in RawGroup.Padding(layout.ValuePadding))
        {
            Part(zero);
        }

        RawGroup.FlushWrites(w, group);
    }

    private static void ReadRawPair(SourceWriter w, TypeModel key, TypeModel value, RawEntryLayout layout, Dictionary<string, TypeModel> types)
    {
        RawReads reads = new();
        void Part(string target, string type)
        {
            if (reads.Parts.Count == RawGroup.MaxValues)
            {
                reads.Flush(w, types);
            }

            reads.Parts.Add(($"{type} {target}", type, true));
        }

        void Value(TypeModel part, string name)
        {
            switch (part.Shape)
            {
                case TypeShape.Unmanaged:
                    Part(name, part.FullyQualifiedName);
                    break;
                case TypeShape.DateTimeOffset:
                    Part(name + "Offset", "int");
                    Part("_", "int");
                    Part(name + "Ticks", "long");
                    reads.After.Add($"{part.FullyQualifiedName} {name} = {Reader}.ToDateTimeOffset({name}Offset, {name}Ticks);");
                    break;
                default:
                    reads.Flush(w, types);
                    w.Line($"{part.FullyQualifiedName} {name} = {ValueCode.Read(part.FullyQualifiedName, types)};");
                    break;
            }
        }

        Value(key, "key");
        foreach ((_, string type) in RawGroup.Padding(layout.KeyPadding))
        {
            Part("_", type);
        }

        Value(value, "value");
        foreach ((_, string type) in RawGroup.Padding(layout.ValuePadding))
        {
            Part("_", type);
        }

        reads.Flush(w, types);
    }
}
