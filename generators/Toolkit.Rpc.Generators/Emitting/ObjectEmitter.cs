using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Toolkit.Rpc.Generators.Model;
using static Toolkit.Rpc.Generators.KnownNames;

namespace Toolkit.Rpc.Generators.Emitting;

/// <summary>Write_/Read_ methods of objects (a member-count byte, then the members) and of nullable structs with members.</summary>
internal static class ObjectEmitter
{
    public static void Methods(SourceWriter w, TypeModel type, Dictionary<string, TypeModel> types)
    {
        string t = type.FullyQualifiedName;
        int count = type.Members.Count;
        bool reference = !type.IsValueType;

        // A fixed-size object is a few raw stores and loads: inlined, its serializer is one flat method.
        bool inline = type.FixedSize is not null;
        if (inline)
        {
            w.Line($"[{AggressiveInlining}]");
        }

        w.Open($"internal static void Write_{type.Identifier}(ref {Writer} writer, {t} value)");
        if (reference)
        {
            w.Open("if (value is null)").Line("writer.WriteNullObject();").Line("return;").Close().Line();
        }

        // Only types on a cycle of the type graph can nest without bound (structs too, through a collection or a
        // union); for the others the depth is fixed by the types, so counting it would only cost time.
        if (type.IsRecursive)
        {
            w.Line("writer.EnterObject();");
        }

        // The header and the raw members after it (a DateTimeOffset counts as its three raw parts) go out in groups
        // of up to eight values per bounds check.
        List<string> rawGroup = new() { $"(byte){count.ToString(CultureInfo.InvariantCulture)}" };
        foreach (MemberModel member in type.Members)
        {
            TypeShape shape = types[member.Type].Shape;
            if (shape is TypeShape.Unmanaged or TypeShape.DateTimeOffset)
            {
                if (rawGroup.Count + RawGroup.Parts(shape) > RawGroup.MaxValues)
                {
                    RawGroup.FlushWrites(w, rawGroup);
                }

                if (shape == TypeShape.Unmanaged)
                {
                    rawGroup.Add($"value.{member.Name}");
                }
                else
                {
                    rawGroup.Add($"value.{member.Name}.TotalOffsetMinutes");
                    rawGroup.Add("0");
                    rawGroup.Add($"value.{member.Name}.UtcTicks");
                }

                continue;
            }

            RawGroup.FlushWrites(w, rawGroup);
            ValueCode.Write(w, member.Type, $"value.{member.Name}", types);
        }

        RawGroup.FlushWrites(w, rawGroup);
        if (type.IsRecursive)
        {
            w.Line("writer.ExitObject();");
        }

        w.Close();
        w.Line();
        if (inline)
        {
            w.Line($"[{AggressiveInlining}]");
        }

        w.Open($"internal static {t} Read_{type.Identifier}(ref {Reader} reader)");
        w.Open("if (!reader.TryReadObjectHeader(out byte count))");
        w.Line(reference ? "return null;" : $"{ThrowHelper}.ThrowNullNotAllowed(\"{Literals.Escape(type.DisplayName)}\");");
        w.Close();
        w.Line();
        w.Line($"return ReadBody_{type.Identifier}(ref reader, count);");
        w.Close();
        w.Line();
        if (inline)
        {
            w.Line($"[{AggressiveInlining}]");
        }

        w.Open($"internal static {t} ReadBody_{type.Identifier}(ref {Reader} reader, byte count)");
        if (type.IsRecursive)
        {
            w.Line("reader.EnterObject();");
        }

        for (int i = 0; i < count; i++)
        {
            if (!type.Members[i].IsComputed)
            {
                w.Line($"{type.Members[i].Type} m{i} = default;");
            }
        }

        if (count > 0)
        {
            // Data from the same version has every member: one test instead of one per member.
            w.Open($"if (count == {count.ToString(CultureInfo.InvariantCulture)})");
            RawReads rawReads = new();
            for (int i = 0; i < count; i++)
            {
                // Consecutive raw members are read in groups per bounds check, as they were written.
                MemberModel member = type.Members[i];
                TypeShape shape = types[member.Type].Shape;
                if (shape is TypeShape.Unmanaged or TypeShape.DateTimeOffset)
                {
                    if (rawReads.Parts.Count + RawGroup.Parts(shape) > RawGroup.MaxValues)
                    {
                        rawReads.Flush(w, types);
                    }

                    if (shape == TypeShape.Unmanaged)
                    {
                        rawReads.Parts.Add(member.IsComputed ? ($"{member.Type} _", member.Type, true) : ($"m{i}", member.Type, false));
                    }
                    else
                    {
                        rawReads.Parts.Add((member.IsComputed ? "int _" : $"int m{i}Offset", "int", true));
                        rawReads.Parts.Add(("int _", "int", true));
                        rawReads.Parts.Add((member.IsComputed ? "long _" : $"long m{i}Ticks", "long", true));
                        if (!member.IsComputed)
                        {
                            rawReads.After.Add($"m{i} = {Reader}.ToDateTimeOffset(m{i}Offset, m{i}Ticks);");
                        }
                    }

                    continue;
                }

                rawReads.Flush(w, types);
                w.Line($"{MemberTarget(member, i)} = {ValueCode.Read(member.Type, types)};");
            }

            rawReads.Flush(w, types);
            w.Close();
            w.Open("else");
            w.Line("// Older data ends early: the members it lacks keep their defaults. Newer data has more, skipped by the peer's contract.");
            for (int i = 0; i < count; i++)
            {
                w.Open($"if (count > {i.ToString(CultureInfo.InvariantCulture)})").Line($"{MemberTarget(type.Members[i], i)} = {ValueCode.Read(type.Members[i].Type, types)};").Close();
            }

            SkipNewerMembers(w, type, count);
            w.Close();
        }
        else
        {
            SkipNewerMembers(w, type, count);
        }

        if (type.IsRecursive)
        {
            w.Line("reader.ExitObject();");
        }

        MemberModel[] byConstructor = type.Members.Where(m => m.ConstructorPosition >= 0).OrderBy(m => m.ConstructorPosition).ToArray();
        string arguments = string.Join(", ", byConstructor.Select(m => "m" + IndexOf(type, m)));
        MemberModel[] initialized = type.Members.Where(m => m.ConstructorPosition < 0 && !m.IsComputed).ToArray();
        string initializer = initialized.Length == 0 ? "" : " { " + string.Join(", ", initialized.Select(m => $"{m.Name} = m{IndexOf(type, m)}")) + " }";
        w.Line($"return new {t}({arguments}){initializer};");
        w.Close();
    }

    public static void NullableMethods(SourceWriter w, TypeModel type, Dictionary<string, TypeModel> types)
    {
        TypeModel inner = types[type.ElementType!];
        w.Open($"internal static void Write_{type.Identifier}(ref {Writer} writer, {type.FullyQualifiedName} value)");
        w.Open("if (value is null)").Line("writer.WriteNullObject();").Line("return;").Close().Line();
        // As MemoryPack writes a nullable struct that holds references: an object of one member, the struct.
        w.Line("writer.WriteObjectHeader(1);");
        w.Line($"Write_{inner.Identifier}(ref writer, value.GetValueOrDefault());");
        w.Close();
        w.Line();
        w.Open($"internal static {type.FullyQualifiedName} Read_{type.Identifier}(ref {Reader} reader)");
        w.Open("if (!reader.TryReadObjectHeader(out byte count))").Line("return null;").Close().Line();
        w.Open("if (count != 1)").Line($"{ThrowHelper}.ThrowMalformed(\"a {Literals.Escape(type.DisplayName)} that is not null has \" + count + \" members instead of 1\");").Close().Line();
        w.Line($"return Read_{inner.Identifier}(ref reader);");
        w.Close();
    }

    private static void SkipNewerMembers(SourceWriter w, TypeModel type, int count)
    {
        string known = count.ToString(CultureInfo.InvariantCulture);
        w.Open($"if (count > {known})")
            .Line($"reader.SkipMembers(\"{Literals.Escape(ContractDescription.Readable(type.FullyQualifiedName))}\", {known}, count);")
            .Close();
    }

    // Where a member's value goes when read: a computed member's is read past and dropped.
    private static string MemberTarget(MemberModel member, int index) => member.IsComputed ? "_" : $"m{index.ToString(CultureInfo.InvariantCulture)}";

    private static int IndexOf(TypeModel type, MemberModel member)
    {
        for (int i = 0; i < type.Members.Count; i++)
        {
            if (ReferenceEquals(type.Members[i], member))
            {
                return i;
            }
        }

        throw new InvalidOperationException("member not in type");
    }
}
